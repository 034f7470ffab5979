//! A CRM re-import (`scopepact import --into`, another process) and an edit in the window change
//! the same field: the window lists both values with their authors, and the person keeps one.
//! Run under Xvfb (see scripts/test.sh).
#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

/// Named `window::…`, so the unit-test step skips them and the window step picks them.
mod window {
    use fantoccini::Locator;
    use scopepact_e2e::{add_profile, repo_root, scenario, scopepact_in, step, Error};

    const SAMPLE: &str = "tests/fixtures/press-line-retrofit.json";

    #[tokio::test]
    async fn a_field_changed_in_the_window_and_by_a_crm_reimport_is_settled_by_a_person() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        add_profile(&data, "Ana Ruiz", "ana@pressworks.example", "commercial");
        let id = scopepact_in(
            &data,
            &["import", repo_root().join(SAMPLE).to_str().unwrap()],
        )
        .trim()
        .to_string();

        // The CRM's next export renames C-03.
        let mut newer: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(repo_root().join(SAMPLE)).unwrap())
                .unwrap();
        newer["commitments"][2]["title"] = "Cambio de matriz en 8 min (CRM)".into();
        let newer_path = dir.path().join("newer.json");
        std::fs::write(&newer_path, serde_json::to_string(&newer).unwrap()).unwrap();

        let (data_ref, id_ref, newer_ref) = (&data, &id, &newer_path);
        scenario("conflict", &data, |app| async move {
            step!(
                app,
                step!(app, app.wait_for("[data-testid=open-document]").await)
                    .click()
                    .await
            );
            // Meanwhile, in the window, the same title is changed.
            step!(
                app,
                step!(
                    app,
                    app.wait_for(
                        "[data-testid=commitment-row][data-ref=C-03] [data-testid=commitment-title]"
                    )
                    .await
                )
                .click()
                .await
            );
            step!(
                app,
                app.fill(
                    "[data-testid=detail-title]",
                    "Cambio de matriz en 10 min (planta)"
                )
                .await
            );
            step!(
                app,
                app.wait_for_text("[data-testid=commitments]", |t| t
                    .contains("10 min (planta)"))
                    .await
            );

            scopepact_in(
                data_ref,
                &["import", newer_ref.to_str().unwrap(), "--into", id_ref],
            );

            // Reopen: both values are listed, with who wrote them; nothing was chosen.
            step!(
                app,
                step!(app, app.wait_for("[data-testid=back]").await)
                    .click()
                    .await
            );
            step!(
                app,
                step!(app, app.wait_for("[data-testid=open-document]").await)
                    .click()
                    .await
            );
            let conflicts = step!(
                app,
                app.wait_for_text("[data-testid=conflicts]", |t| t.contains("C-03"))
                    .await
            );
            if !(conflicts.contains("8 min (CRM)")
                && conflicts.contains("10 min (planta)")
                && conflicts.contains("Ana Ruiz"))
            {
                return Err((
                    app,
                    format!("both values and their author should be listed: {conflicts}").into(),
                ));
            }
            // Keep the CRM's value.
            let keep = step!(
                app,
                app.client
                    .find_all(Locator::XPath(
                        "//li[contains(., '8 min (CRM)')]/button[@data-testid='keep-value']"
                    ))
                    .await
            );
            let Some(button) = keep.into_iter().next() else {
                return Err((app, Error::from("no keep button for the CRM's value")));
            };
            step!(app, button.click().await);
            step!(
                app,
                app.wait_for_text("[data-testid=commitments]", |t| t.contains("8 min (CRM)")
                    && !t.contains("10 min (planta)"))
                    .await
            );
            if !step!(
                app,
                app.client
                    .find_all(Locator::Css("[data-testid=conflicts]"))
                    .await
            )
            .is_empty()
            {
                return Err((app, "the conflict should be settled".into()));
            }
            Ok(app)
        })
        .await;
        // Settled for scripts too.
        let exported: serde_json::Value =
            serde_json::from_str(&scopepact_in(&data, &["export", &id, "--format", "json"]))
                .unwrap();
        assert_eq!(
            exported["commitments"][2]["title"],
            "Cambio de matriz en 8 min (CRM)"
        );
    }

    /// Issue 12: another device wrote a price ScopePact cannot read. The window still opens the
    /// document, shows the damaged value with who wrote it, and restores it in one action.
    #[tokio::test]
    async fn a_value_another_device_wrote_unreadably_is_shown_and_restored() {
        use automerge::transaction::Transactable;
        use automerge::{ReadDoc, ROOT};
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        add_profile(&data, "Ana Ruiz", "ana@pressworks.example", "commercial");
        let id = scopepact_in(
            &data,
            &["import", repo_root().join(SAMPLE).to_str().unwrap()],
        )
        .trim()
        .to_string();
        // As a broken peer would: C-02's price becomes a word.
        {
            let mut store = scopepact_store::Store::open_dir(&data).unwrap();
            store
                .edit(id.parse().unwrap(), |doc| {
                    let (_, commitments) = doc.get(ROOT, "commitments").unwrap().unwrap();
                    let target = doc
                        .map_range(&commitments, ..)
                        .map(|item| item.key.to_string())
                        .find(|key| {
                            let (_, c) = doc.get(&commitments, key.as_str()).unwrap().unwrap();
                            matches!(doc.get(&c, "reference").unwrap(),
                                Some((automerge::Value::Scalar(s), _)) if s.as_str() == Some("C-02"))
                        })
                        .unwrap();
                    let (_, c) = doc.get(&commitments, target.as_str()).unwrap().unwrap();
                    let mut tx = doc.transaction();
                    tx.put(&c, "price", "a lot").unwrap();
                    tx.commit();
                    Ok::<_, scopepact_store::StoreError>(())
                })
                .unwrap();
        }
        scenario("damage", &data, |app| async move {
            step!(
                app,
                step!(app, app.wait_for("[data-testid=open-document]").await)
                    .click()
                    .await
            );
            step!(
                app,
                app.wait_for_text("[data-testid=damage]", |t| t.contains("C-02")
                    && t.contains("price")
                    && t.contains("a lot"))
                    .await
            );
            step!(
                app,
                app.wait_for_text("[data-testid=gate]", |t| t.contains("C-02"))
                    .await
            );
            step!(app, app.click("[data-testid=repair]").await);
            step!(
                app,
                app.wait_for_text("[data-testid=restored]", |t| t.contains("148000"))
                    .await
            );
            if !step!(
                app,
                app.client
                    .find_all(Locator::Css("[data-testid=damaged-value]"))
                    .await
            )
            .is_empty()
            {
                return Err((app, "the damaged value should be gone".into()));
            }
            Ok(app)
        })
        .await;
        let exported: serde_json::Value =
            serde_json::from_str(&scopepact_in(&data, &["export", &id, "--format", "json"]))
                .unwrap();
        assert_eq!(exported["commitments"][1]["price"], 148000);
    }
}

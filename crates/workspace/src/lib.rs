//! The facade over ScopePact's crates: what a person can do with the documents of one data
//! directory. The desktop app and the CLI are two thin faces of this one API.

use scopepact_messages::{message, Message};
use std::path::{Path, PathBuf};

use scopepact_pdf::{AmendmentRecord, Manifest, ManifestSignature, Paper, Record, Verified};
use scopepact_scope::damage::{self, Damage, Repaired};
use scopepact_scope::document::{self, ImportReport};
use scopepact_scope::edit::{
    Actor, AgreementList, CertificateBinding, Edit, EditOutcome, HeaderField,
};
use scopepact_scope::history::{self, HistoryEntry};
use scopepact_scope::interchange::{self, Language, Role};
use scopepact_scope::lifecycle;
use scopepact_scope::signing::{self, SignRequest};
use scopepact_scope::status::Status;
use scopepact_scope::validation::{self, Economics, GateReason, ThresholdOverride};
use scopepact_scope::view::{DocumentSummary, DocumentView};
use scopepact_scope::ScopeError;
use scopepact_signing::certificate::{SigningCertificate, Subject};
use scopepact_signing::KeyPair;
use scopepact_store::{parse_id, Store, StoreError};
use serde::Serialize;
use thiserror::Error;

mod company;
mod meeting;
pub use meeting::SharedDocument;

pub use company::{CompanySettings, LogoInfo, TemplateSummary};
pub use scopepact_company::CompanyChange;
pub use scopepact_store::library::{LibraryEntry, LibraryParameter, Retirement};
pub use scopepact_store::Profile;
pub use uuid::Uuid;

#[derive(Debug, Error)]
pub enum WorkspaceError {
    #[error("{path}: {source}")]
    InvalidFile {
        path: PathBuf,
        source: Box<ScopeError>,
    },
    #[error("cannot read {path}: {reason}")]
    ReadFile { path: PathBuf, reason: String },
    #[error("cannot write {path}: {reason}")]
    WriteFile { path: PathBuf, reason: String },
    #[error(transparent)]
    Scope(#[from] ScopeError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Sync(#[from] scopepact_sync::SyncError),
    #[error(transparent)]
    Signing(#[from] scopepact_signing::SigningError),
    #[error(transparent)]
    Pdf(#[from] scopepact_pdf::PdfError),
    #[error(transparent)]
    Kpi(#[from] scopepact_kpis::KpiError),
}

impl From<scopepact_company::CompanyError> for WorkspaceError {
    fn from(e: scopepact_company::CompanyError) -> WorkspaceError {
        WorkspaceError::Store(StoreError::Company(e))
    }
}

/// What kind of failure, for the UI to branch on; the message is for people.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// The file or value given is not acceptable; nothing was changed.
    InvalidInput,
    /// The document or item does not exist (any more).
    NotFound,
    /// The data directory or database cannot be used.
    Storage,
    /// A file could not be read or written.
    Io,
    /// A rule refuses the action for this person (role, other side, profile missing).
    Refused,
}

/// Where this device syncs: the server's URL, and whether a token is stored (the token itself
/// never goes back to the UI).
#[derive(Debug, Clone, Default, PartialEq, Serialize, specta::Type)]
pub struct SyncSettings {
    pub server: String,
    pub has_token: bool,
}

const SYNC_SERVER: &str = "sync.server";
/// The company named on PDF certificates.
const COMPANY: &str = "company.name";
/// The company root this device learned from the sync server (PEM), and the certificates it
/// revoked (SHA-256 hex, one per line).
const COMPANY_ROOT: &str = "ca.root";
const REVOKED: &str = "ca.revoked";
const SYNC_TOKEN: &str = "sync.token";
const SYNC_LAST: &str = "sync.last_synced";
/// The language the app speaks: per profile (`ui_language:<profile id>`), and the last one chosen
/// on this data directory for the screen before any profile exists. Kept here, not in the
/// WebView's storage, which is shared by every data directory of the same user.
const UI_LANGUAGE: &str = "ui_language";

/// The sample deal the app offers on an empty list: the very file the test suites check, so
/// what a new user opens first is what every test reads.
const SAMPLE_DEAL: &str = include_str!("../../../tests/fixtures/press-line-retrofit.json");

/// The lifecycle status with every unmet condition of the gate and the economics.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct StatusReport {
    pub status: Status,
    pub reasons: Vec<GateReason>,
    pub economics: Economics,
    /// Where the deal's thresholds depart from the company's, and why.
    pub threshold_overrides: Vec<ThresholdOverride>,
    pub thresholds_reason: String,
    /// Values that do not read; `repair` restores them.
    pub damage: Vec<Damage>,
}

impl WorkspaceError {
    /// What the person reads, in any language (the app and the command line say it in theirs).
    pub fn message(&self) -> Message {
        match self {
            WorkspaceError::InvalidFile { path, source } => message!(
                "error-in-file",
                path = path.display().to_string(),
                problem = source.message()
            ),
            WorkspaceError::ReadFile { path, reason } => message!(
                "error-read-file",
                path = path.display().to_string(),
                reason = reason
            ),
            WorkspaceError::WriteFile { path, reason } => message!(
                "error-write-file",
                path = path.display().to_string(),
                reason = reason
            ),
            WorkspaceError::Scope(e) => e.message(),
            WorkspaceError::Store(e) => store_message(e),
            WorkspaceError::Sync(e) => sync_message(e),
            WorkspaceError::Signing(e) => message!("error-signing", detail = e.to_string()),
            WorkspaceError::Pdf(e) => pdf_message(e),
            WorkspaceError::Kpi(e) => kpi_message(e),
        }
    }

    pub fn kind(&self) -> ErrorKind {
        match self {
            WorkspaceError::InvalidFile { .. } => ErrorKind::InvalidInput,
            WorkspaceError::ReadFile { .. } | WorkspaceError::WriteFile { .. } => ErrorKind::Io,
            WorkspaceError::Scope(ScopeError::NoSuchItem { .. }) => ErrorKind::NotFound,
            WorkspaceError::Scope(ScopeError::Refused(_)) => ErrorKind::Refused,
            WorkspaceError::Store(StoreError::InvalidProfile(_)) => ErrorKind::InvalidInput,
            WorkspaceError::Store(StoreError::NoSuchProfile(_)) => ErrorKind::NotFound,
            WorkspaceError::Scope(
                ScopeError::InvalidFile { .. } | ScopeError::InvalidValue { .. },
            ) => ErrorKind::InvalidInput,
            WorkspaceError::Scope(_) => ErrorKind::Storage,
            WorkspaceError::Store(StoreError::NoSuchDocument(_)) => ErrorKind::NotFound,
            WorkspaceError::Store(StoreError::BadDocumentId(_)) => ErrorKind::InvalidInput,
            WorkspaceError::Store(StoreError::Company(e)) => company::error_kind(e),
            WorkspaceError::Store(_) => ErrorKind::Storage,
            WorkspaceError::Sync(scopepact_sync::SyncError::Unauthorized { .. }) => {
                ErrorKind::Refused
            }
            WorkspaceError::Sync(scopepact_sync::SyncError::InvalidInput(_)) => {
                ErrorKind::InvalidInput
            }
            WorkspaceError::Sync(
                scopepact_sync::SyncError::WrongCode
                | scopepact_sync::SyncError::RemovedFromSession
                | scopepact_sync::SyncError::SessionFull { .. }
                | scopepact_sync::SyncError::TooManyWrongCodes { .. },
            ) => ErrorKind::Refused,
            WorkspaceError::Sync(_) => ErrorKind::Io,
            WorkspaceError::Signing(scopepact_signing::SigningError::KeyExposed { .. }) => {
                ErrorKind::Refused
            }
            WorkspaceError::Signing(_) => ErrorKind::Io,
            WorkspaceError::Pdf(
                scopepact_pdf::PdfError::Tampered(_)
                | scopepact_pdf::PdfError::NotCurrent(_)
                | scopepact_pdf::PdfError::Unsigned(_)
                | scopepact_pdf::PdfError::Unproven(_)
                | scopepact_pdf::PdfError::CannotSeal(_),
            ) => ErrorKind::Refused,
            WorkspaceError::Pdf(_) => ErrorKind::InvalidInput,
            WorkspaceError::Kpi(_) => ErrorKind::InvalidInput,
        }
    }
}

pub type Result<T> = std::result::Result<T, WorkspaceError>;

pub struct Workspace {
    store: Store,
    data_dir: PathBuf,
    /// The email given with `--as`, which wins over the current profile for this process.
    acting_as: Option<String>,
    device: String,
    /// Each profile's certificate binding, once read (see [`Workspace::binding_of`]).
    bindings: std::cell::RefCell<std::collections::HashMap<String, CertificateBinding>>,
}

impl Workspace {
    /// Opens the data directory: `explicit`, else `SCOPEPACT_DATA_DIR`, else the platform's.
    pub fn open(explicit: Option<PathBuf>) -> Result<Workspace> {
        let data_dir = scopepact_store::resolve_data_dir(explicit)?;
        let store = Store::open_dir(&data_dir)?;
        Ok(Workspace {
            store,
            data_dir,
            acting_as: None,
            device: device_name(),
            bindings: Default::default(),
        })
    }

    /// Acts as the profile with this email instead of the current one (the CLI's `--as`).
    pub fn act_as(&mut self, email: Option<String>) -> Result<()> {
        if let Some(email) = &email {
            self.store.acting_profile(Some(email))?;
        }
        self.acting_as = email;
        Ok(())
    }

    pub fn profiles(&self) -> Result<Vec<Profile>> {
        self.store
            .profiles()?
            .into_iter()
            .map(|p| self.with_key(p))
            .collect()
    }

    /// A new profile, with its signing key made at once.
    pub fn add_profile(&mut self, name: &str, email: &str, role: Role) -> Result<Profile> {
        let profile = self.store.add_profile(name, email, role)?;
        self.with_key(profile)
    }

    pub fn switch_profile(&mut self, id: &str) -> Result<Profile> {
        let profile = self.store.switch_profile(id)?;
        self.with_key(profile)
    }

    /// The profile changes are attributed to, if this device has one.
    pub fn acting_profile(&self) -> Result<Option<Profile>> {
        self.store
            .acting_profile(self.acting_as.as_deref())?
            .map(|p| self.with_key(p))
            .transpose()
    }

    /// Where a profile's private key lives: in this data directory only, never in a document,
    /// never synced, never exported.
    fn key_path(&self, profile_id: &str) -> PathBuf {
        self.data_dir
            .join("keys")
            .join(format!("{profile_id}.ed25519"))
    }

    /// The profile's key pair; made now for a profile created before keys existed.
    fn key_of(&self, profile: &Profile) -> Result<KeyPair> {
        Ok(KeyPair::load_or_create(&self.key_path(&profile.id))?)
    }

    /// The profile's PDF signing key and certificate (ECDSA P-256, X.509); made now, with a
    /// self-signed certificate, for a profile that has none yet.
    fn certificate_of(&self, profile: &Profile) -> Result<SigningCertificate> {
        let organisation = self.organisation()?;
        Ok(SigningCertificate::load_or_create(
            &self.key_path(&profile.id),
            &Subject {
                name: profile.name.clone(),
                email: profile.email.clone(),
                organisation,
            },
        )?)
    }

    /// The profile's PDF certificate as the documents it writes record it: its SHA-256 and
    /// its ed25519 key's binding (read once per certificate).
    fn binding_of(&self, profile: &Profile) -> Result<CertificateBinding> {
        if let Some(known) = self.bindings.borrow().get(&profile.id) {
            return Ok(known.clone());
        }
        let key = self.key_of(profile)?;
        let certificate = self.certificate_of(profile)?;
        let binding = CertificateBinding {
            sha256: scopepact_signing::certificate::certificate_fingerprint(
                certificate.certificate(),
            ),
            binding: scopepact_signing::certificate::bind(&key, certificate.certificate()),
        };
        self.bindings
            .borrow_mut()
            .insert(profile.id.clone(), binding.clone());
        Ok(binding)
    }

    /// The acting profile with its ed25519 key and PDF certificate.
    fn acting_with_keys(&self) -> Result<(Profile, KeyPair, SigningCertificate)> {
        let profile = self
            .store
            .acting_profile(self.acting_as.as_deref())?
            .ok_or(ScopeError::Refused(scopepact_scope::Refusal::NoProfile))?;
        let key = self.key_of(&profile)?;
        let certificate = self.certificate_of(&profile)?;
        Ok((profile, key, certificate))
    }

    fn with_key(&self, mut profile: Profile) -> Result<Profile> {
        let key = self.key_of(&profile)?;
        profile.public_key = key.public_key();
        profile.fingerprint = scopepact_signing::fingerprint(&profile.public_key)?;
        Ok(profile)
    }

    /// Signs the document as the acting profile, in the role asked (a customer signs on this
    /// device, witnessed by the acting profile's key). Refused, with the reason, unless the
    /// gate holds and the document still needs that signature.
    pub fn sign(&mut self, id: &str, request: &SignRequest) -> Result<DocumentView> {
        let uuid = parse_id(id)?;
        let by = self.actor()?;
        let profile = self
            .store
            .acting_profile(self.acting_as.as_deref())?
            .ok_or(ScopeError::Refused(scopepact_scope::Refusal::NoProfile))?;
        let key = self.key_of(&profile)?;
        let time = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        let document_id = uuid.to_string();
        self.store.edit_with_model(uuid, |doc, model| {
            let known = match model.take() {
                Some(known) => known,
                None => document::read(doc)?,
            };
            let payload = signing::prepare(
                &document_id,
                doc,
                &known,
                &by,
                request,
                &key.public_key(),
                &time,
            )?;
            let signed = key.sign(&payload.to_bytes());
            let record = signing::record(&payload, request.role, request.drawing.clone(), signed);
            *model = Some(known);
            document::add_signature(doc, model, &document_id, record, request, &by)?;
            Ok::<_, WorkspaceError>(())
        })?;
        self.view_of(uuid)
    }

    /// Who acts: the acting profile on this device, or an anonymous actor (only imports accept
    /// one; every other change is refused by the core).
    fn actor(&self) -> Result<Actor> {
        Ok(match self.acting_profile()? {
            Some(p) => Actor {
                certificate: Some(self.binding_of(&p)?),
                name: p.name,
                email: p.email,
                role: Some(p.role),
                device: self.device.clone(),
                automerge_actor: p.automerge_actor,
            },
            None => Actor {
                name: "no profile".into(),
                email: String::new(),
                role: None,
                device: self.device.clone(),
                automerge_actor: String::new(),
                certificate: None,
            },
        })
    }

    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    pub fn list(&self) -> Result<Vec<DocumentSummary>> {
        Ok(self.store.list()?)
    }

    /// The joint handoff indicators over every document of this device (synced ones included),
    /// for a period (inclusive `YYYY-MM-DD` dates, either open) and a grouping.
    pub fn kpis(
        &mut self,
        from: Option<&str>,
        to: Option<&str>,
        by: scopepact_kpis::GroupBy,
    ) -> Result<Vec<scopepact_kpis::GroupKpis>> {
        let period = scopepact_kpis::Period::new(from, to)?;
        self.kpis_for(period, by)
    }

    /// [`Workspace::kpis`] for a period already made (a named month, quarter or year).
    pub fn kpis_for(
        &mut self,
        period: scopepact_kpis::Period,
        by: scopepact_kpis::GroupBy,
    ) -> Result<Vec<scopepact_kpis::GroupKpis>> {
        let deals = self.store.deal_facts()?;
        Ok(scopepact_kpis::compute(&deals, period, by))
    }

    /// What operations already validated on signed deals that matches what was typed (title,
    /// description, parameters; case and accents ignored, words matched as prefixes), best
    /// first; retired entries only when `include_retired`.
    pub fn library_search(
        &mut self,
        typed: &str,
        include_retired: bool,
    ) -> Result<Vec<LibraryEntry>> {
        Ok(self.store.library_search(
            typed,
            scopepact_store::library::MAX_RESULTS,
            include_retired,
        )?)
    }

    pub fn create(&mut self, title: &str) -> Result<DocumentView> {
        self.create_in(title, Language::En)
    }

    /// A new document printed in `language` (the app passes the person's UI language).
    pub fn create_in(&mut self, title: &str, language: Language) -> Result<DocumentView> {
        let by = self.actor()?;
        let mut doc = document::new_document_in(title, language, &by)?;
        // The thresholds the company set, as the header starts (a deal changes them).
        let defaults = self.header_defaults("")?;
        if !defaults.is_empty() {
            document::apply(&mut doc, &Edit::UpdateHeader { changes: defaults }, &by)?;
        }
        let id = self.store.create(doc)?;
        self.view_of(id)
    }

    /// Reads and checks a `scopepact/v1` file, then creates a document from it.
    pub fn import_file(&mut self, path: &Path) -> Result<Uuid> {
        let file = read_interchange(path)?;
        let (doc, model) = document::from_file_with_model(&file, &self.actor()?)?;
        Ok(self.store.create_with_model(doc, model)?)
    }

    /// A new document from the press-line sample deal shipped inside the app, for a first look
    /// at a complete scope without typing one.
    pub fn create_sample(&mut self) -> Result<Uuid> {
        let file = interchange::Document::parse(SAMPLE_DEAL).map_err(|source| {
            WorkspaceError::InvalidFile {
                path: PathBuf::from("press-line-retrofit.json"),
                source: Box::new(source),
            }
        })?;
        let (doc, model) = document::from_file_with_model(&file, &self.actor()?)?;
        Ok(self.store.create_with_model(doc, model)?)
    }

    /// Reconciles a newer version of a file into an existing document (see
    /// [`document::import_into`]).
    pub fn import_file_into(&mut self, path: &Path, id: &str) -> Result<ImportReport> {
        let id = parse_id(id)?;
        let file = read_interchange(path)?;
        let by = self.actor()?;
        self.store
            .edit(id, |doc| Ok(document::import_into(doc, &file, &by)?))
    }

    pub fn export_json(&mut self, id: &str) -> Result<String> {
        let id = parse_id(id)?;
        let file = document::to_file(self.store.get(id)?)?;
        let mut text =
            serde_json::to_string_pretty(&file).map_err(|e| WorkspaceError::WriteFile {
                path: PathBuf::from("-"),
                reason: e.to_string(),
            })?;
        text.push('\n');
        Ok(text)
    }

    /// The printable, signed PDF of the document, sealed with the acting profile's key. Once a
    /// signature holds, only a signer can seal: `verify` trusts no other key.
    pub fn export_pdf(&mut self, id: &str, paper: Paper) -> Result<Vec<u8>> {
        let uuid = parse_id(id)?;
        let (profile, key, certificate) = self.acting_with_keys()?;
        let logo = self.company_logo()?;
        let (doc, model) = self.store.model(uuid)?;
        let content = signing::canonical_content(model);
        let content_sha256 = scopepact_signing::sha256_hex(content.as_bytes());
        let lapses = signing::lapses(model, &content_sha256);
        let manifest_signature =
            |(id, record): (&String, &scopepact_scope::model::SignatureRecord)| ManifestSignature {
                id: id.clone(),
                payload: signing::payload_of(record),
                signature: record.signature.clone(),
                drawing: record.drawing.clone(),
            };
        let (holding, earlier): (Vec<_>, Vec<_>) = model
            .signatures
            .iter()
            .partition(|(id, _)| lapses.get(*id) == Some(&None));
        let signatures: Vec<ManifestSignature> =
            holding.into_iter().map(manifest_signature).collect();
        // An altered record proves nothing and is not printed as a signature.
        let earlier = earlier
            .into_iter()
            .filter(|(id, _)| lapses.get(*id) != Some(&Some(signing::Lapse::Invalid)))
            .map(manifest_signature)
            .collect();
        let public_key = key.public_key();
        let exported_by = match signatures
            .iter()
            .find(|s| s.payload.public_key == public_key)
        {
            Some(s) => s.key_holder().to_string(),
            None if signatures.is_empty() => profile.name.clone(),
            None => {
                let signers: Vec<&str> = signatures.iter().map(|s| s.key_holder()).collect();
                return Err(scopepact_pdf::PdfError::CannotSeal(format!(
                    "only someone who signed this scope can seal its PDF, so that a reader can \
                     trust the seal: ask {}",
                    signers.join(" or ")
                ))
                .into());
            }
        };
        let file = document::model_to_file(model);
        let manifest = Manifest {
            format: scopepact_pdf::MANIFEST_FORMAT.into(),
            layout: scopepact_pdf::LAYOUT,
            document_id: uuid.to_string(),
            paper,
            content,
            content_sha256,
            heads: signing::heads_hex(doc),
            signatures,
            record: Record {
                earlier_signatures: earlier,
                amendments: model
                    .amendments
                    .values()
                    .map(|a| AmendmentRecord {
                        by: a.by.clone(),
                        at: a.at.clone(),
                        reason: a.reason.clone(),
                        voids: a.voids.clone(),
                    })
                    .collect(),
                meeting: file.meeting,
                satisfaction: file.satisfaction,
                timeline: history::timeline(doc, model),
                logo: logo.map(|bytes| {
                    use base64::Engine;
                    base64::engine::general_purpose::STANDARD.encode(bytes)
                }),
            },
            exported_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            exported_by,
            seal_key: public_key,
        };
        Ok(scopepact_pdf::export(&manifest, &key, &certificate)?)
    }

    /// Checks a signed PDF with nothing but the file; then, when this device holds the document,
    /// whether the file is still its current signed state (not superseded by an amendment or by
    /// changes made after the signatures).
    pub fn verify_pdf(&mut self, bytes: &[u8]) -> Result<Verified> {
        self.verify_pdf_trusting(bytes, &[])
    }

    /// Adds the acting profile's PDF signature to its field(s) of a signed PDF (each field of
    /// the scope signature it made), as incremental updates; returns the new file and the fields
    /// it filled. Refused when the file does not verify, when the profile did not sign the scope,
    /// or when its field is already signed.
    pub fn countersign_pdf(&mut self, bytes: &[u8]) -> Result<(Vec<u8>, Vec<String>)> {
        let (_, key, certificate) = self.acting_with_keys()?;
        let at = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        let roots: Vec<Vec<u8>> = self.company_root()?.into_iter().collect();
        let signed = scopepact_pdf::countersign(bytes, &roots, &key, &certificate, &at)?;
        // As this device sees it: a revoked certificate, or a document amended since the file,
        // is no file to sign (the signed copy is dropped, nothing is written).
        self.as_this_device_sees_it(signed.verified, &signed.manifest)?;
        Ok((signed.file, signed.fields))
    }

    /// Certificate requests (PEM), by profile id, for this device's profiles whose PDF
    /// certificate the company root did not issue yet.
    pub fn certificate_requests(&self) -> Result<Vec<(String, String)>> {
        let root = self.company_root()?;
        let mut requests = vec![];
        for profile in self.store.profiles()? {
            let certificate = self.certificate_of(&profile)?;
            let issued = root.as_ref().is_some_and(|root| {
                scopepact_signing::certificate::issued_by(
                    certificate.certificate(),
                    root,
                    std::time::SystemTime::now(),
                )
                .is_ok()
            });
            if !issued {
                let subject = Subject {
                    name: profile.name.clone(),
                    email: profile.email.clone(),
                    organisation: self.organisation()?,
                };
                requests.push((profile.id.clone(), certificate.request(&subject)?));
            }
        }
        Ok(requests)
    }

    /// Keeps what the company's authority answered: its root, the revoked certificates, and the
    /// chains it issued for this device's profiles.
    pub fn adopt_certificates(
        &mut self,
        exchange: &scopepact_sync::client::CertificateExchange,
    ) -> Result<usize> {
        let conn = self.store.connection();
        if let Some(root) = &exchange.root {
            scopepact_store::profiles::set_setting(conn, COMPANY_ROOT, root)?;
        }
        scopepact_store::profiles::set_setting(conn, REVOKED, &exchange.revoked.join("\n"))?;
        let mut adopted = 0;
        for (profile_id, chain) in &exchange.issued {
            let Some(profile) = self
                .store
                .profiles()?
                .into_iter()
                .find(|p| &p.id == profile_id)
            else {
                continue;
            };
            let chain = scopepact_signing::certificate::read_chain(chain)?;
            let mut certificate = self.certificate_of(&profile)?;
            certificate.adopt_chain(&self.key_path(&profile.id), chain)?;
            self.bindings.borrow_mut().remove(&profile.id);
            adopted += 1;
        }
        Ok(adopted)
    }

    /// The company root this device learned, DER.
    fn company_root(&self) -> Result<Option<Vec<u8>>> {
        let Some(pem) = scopepact_store::profiles::setting(self.store.connection(), COMPANY_ROOT)?
        else {
            return Ok(None);
        };
        Ok(scopepact_signing::certificate::read_chain(&pem)?
            .into_iter()
            .next())
    }

    fn organisation(&self) -> Result<String> {
        Ok(
            scopepact_store::profiles::setting(self.store.connection(), COMPANY)?
                .unwrap_or_default(),
        )
    }

    /// [`Workspace::verify_pdf`], reporting certificates issued by one of `roots` (DER), or by
    /// the company root this device learned, as the company's; a certificate the company
    /// revoked fails.
    pub fn verify_pdf_trusting(&mut self, bytes: &[u8], roots: &[Vec<u8>]) -> Result<Verified> {
        let mut roots = roots.to_vec();
        roots.extend(self.company_root()?);
        let (verified, manifest) = scopepact_pdf::verify_with_manifest(bytes, &roots)?;
        self.as_this_device_sees_it(verified, &manifest)
    }

    /// A file that verifies, checked against what this device knows: the certificates the
    /// company revoked, and the document as it is now (changed or amended since the export).
    fn as_this_device_sees_it(
        &mut self,
        verified: Verified,
        manifest: &Manifest,
    ) -> Result<Verified> {
        let revoked = scopepact_store::profiles::setting(self.store.connection(), REVOKED)?
            .unwrap_or_default();
        if let Some(s) = verified
            .pdf_signatures
            .iter()
            .find(|s| revoked.lines().any(|r| r == s.certificate_sha256))
        {
            return Err(scopepact_pdf::PdfError::Tampered(format!(
                "the certificate {} signed the {} field with was revoked by the company",
                s.signer, s.field
            ))
            .into());
        }
        let Ok(uuid) = parse_id(&verified.document_id) else {
            return Ok(verified);
        };
        let Ok((_, model)) = self.store.model(uuid) else {
            return Ok(verified);
        };
        let now = signing::content_sha256(model);
        let lapses = signing::lapses(model, &now);
        // The file's signatures, as this device's document sees them now.
        let voided = manifest.signatures.iter().any(|s| {
            model
                .signatures
                .iter()
                .find(|(_, record)| record.signature == s.signature)
                .is_some_and(|(id, _)| lapses.get(id) == Some(&Some(signing::Lapse::Amended)))
        });
        if now != verified.content_sha256 || voided {
            let amendment = model
                .amendments
                .values()
                .max_by(|a, b| a.at.cmp(&b.at))
                .map(|a| format!(" (amendment started by {} on {}: {})", a.by, a.at, a.reason))
                .unwrap_or_default();
            let what = if now != verified.content_sha256 {
                "the file is intact, but the document changed after it was exported"
            } else {
                "the file is intact, but the document was amended after it was exported, which \
                 voided its signatures"
            };
            return Err(scopepact_pdf::PdfError::NotCurrent(format!(
                "{what}{amendment}: it is now {}; export it again",
                lifecycle::status(model).as_str().replace('_', " ")
            ))
            .into());
        }
        Ok(verified)
    }

    /// Restores every damaged value of the document to the last value that read (its history
    /// keeps them), as one change by the acting profile; says what it restored and what is left
    /// for a person to enter again.
    pub fn repair(&mut self, id: &str) -> Result<(Repaired, DocumentView)> {
        let uuid = parse_id(id)?;
        let by = self.actor()?;
        let repaired = self.store.edit(uuid, |doc| {
            Ok::<_, WorkspaceError>(damage::repair(doc, &by)?)
        })?;
        Ok((repaired, self.view_of(uuid)?))
    }

    pub fn view(&mut self, id: &str) -> Result<DocumentView> {
        let id = parse_id(id)?;
        self.view_of(id)
    }

    /// Applies one edit, durable before this returns, and gives back the document as it is now.
    pub fn edit(&mut self, id: &str, edit: &Edit) -> Result<(EditOutcome, DocumentView)> {
        // What a library entry says is read from this device's library, never taken from the
        // caller: an edit cannot claim a verdict operations did not give.
        if let Edit::AddFromLibrary { entry, after } = edit {
            return self.insert_from_library(id, &entry.entry, after.as_deref());
        }
        if let Edit::ConfirmFromLibrary { id: commitment } = edit {
            self.check_confirmable(id, commitment)?;
        }
        // The company's thresholds are recorded from its settings when a deal is made; a
        // person rewriting them could hide that the deal departs from them.
        if let Edit::UpdateHeader { changes } = edit {
            if changes
                .iter()
                .any(|c| matches!(c, HeaderField::CompanyThresholds(_)))
            {
                return Err(ScopeError::invalid(
                    message!("field-company_thresholds"),
                    message!("value-company-thresholds-from-settings"),
                )
                .into());
            }
        }
        self.apply_edit(id, edit)
    }

    /// Applies an edit as the acting profile, in one store transaction.
    fn apply_edit(&mut self, id: &str, edit: &Edit) -> Result<(EditOutcome, DocumentView)> {
        let id = parse_id(id)?;
        let by = self.actor()?;
        let outcome = self.store.edit_with_model(id, |doc, model| {
            Ok::<_, WorkspaceError>(document::apply_cached(doc, model, edit, &by)?)
        })?;
        Ok((outcome, self.view_of(id)?))
    }

    pub fn status(&mut self, id: &str) -> Result<StatusReport> {
        let (doc, model) = self.store.model(parse_id(id)?)?;
        Ok(StatusReport {
            status: lifecycle::status(model),
            reasons: validation::gate(model),
            economics: validation::economics(model),
            threshold_overrides: validation::threshold_overrides(model),
            thresholds_reason: model.deal.thresholds_reason.clone(),
            damage: damage::report(doc, model),
        })
    }

    /// Who changed what, when, on one item (a commitment, ambiguity, assumption or exclusion id).
    pub fn history(&mut self, id: &str, item_id: &str) -> Result<Vec<HistoryEntry>> {
        let (doc, model) = self.store.model(parse_id(id)?)?;
        Ok(history::item_history(doc, model, item_id))
    }

    pub fn sync_settings(&self) -> Result<SyncSettings> {
        let conn = self.store.connection();
        Ok(SyncSettings {
            server: scopepact_store::profiles::setting(conn, SYNC_SERVER)?.unwrap_or_default(),
            has_token: scopepact_store::profiles::setting(conn, SYNC_TOKEN)?
                .is_some_and(|t| !t.is_empty()),
        })
    }

    /// Stores the server and, when given, a new token; checks the URL's form first.
    pub fn set_sync_settings(&mut self, server: &str, token: Option<&str>) -> Result<SyncSettings> {
        let server = server.trim();
        if !server.is_empty() {
            scopepact_sync::client::server_url(server)?;
        }
        if let Some(token) = token.map(str::trim).filter(|t| !t.is_empty()) {
            if scopepact_sync::tokens::index_of_token(token).is_none() {
                return Err(scopepact_sync::SyncError::InvalidInput(
                    "this is not a ScopePact device token (they look like spd_…_…, from `scopepact invite`)".into(),
                )
                .into());
            }
            scopepact_store::profiles::set_setting(self.store.connection(), SYNC_TOKEN, token)?;
        }
        scopepact_store::profiles::set_setting(self.store.connection(), SYNC_SERVER, server)?;
        self.sync_settings()
    }

    /// The language the app speaks to the acting profile: its own choice, else the last one made
    /// on this data directory; `None` when nobody chose yet (the UI then follows the system).
    pub fn ui_language(&self) -> Result<Option<Language>> {
        let conn = self.store.connection();
        let mut keys = Vec::new();
        if let Some(profile) = self.acting_profile()? {
            keys.push(format!("{UI_LANGUAGE}:{}", profile.id));
        }
        keys.push(UI_LANGUAGE.to_string());
        for key in keys {
            if let Some(language) =
                scopepact_store::profiles::setting(conn, &key)?.and_then(|c| Language::parse(&c))
            {
                return Ok(Some(language));
            }
        }
        Ok(None)
    }

    /// Records the acting profile's language (and this data directory's, for the next start).
    pub fn set_ui_language(&mut self, language: Language) -> Result<()> {
        let conn = self.store.connection();
        if let Some(profile) = self.acting_profile()? {
            let key = format!("{UI_LANGUAGE}:{}", profile.id);
            scopepact_store::profiles::set_setting(conn, &key, language.as_str())?;
        }
        scopepact_store::profiles::set_setting(conn, UI_LANGUAGE, language.as_str())?;
        Ok(())
    }

    /// The server and token to sync with, when both are set.
    pub fn sync_target(&self) -> Result<Option<(String, String)>> {
        let conn = self.store.connection();
        let server = scopepact_store::profiles::setting(conn, SYNC_SERVER)?.unwrap_or_default();
        let token = scopepact_store::profiles::setting(conn, SYNC_TOKEN)?.unwrap_or_default();
        Ok((!server.is_empty() && !token.is_empty()).then_some((server, token)))
    }

    /// Records a completed sync: the heads the server holds of each document synced (by
    /// automerge-repo id). Returns the sync's time (RFC 3339).
    pub fn mark_synced(
        &mut self,
        synced: &[(String, Vec<scopepact_scope::ChangeHash>)],
    ) -> Result<String> {
        self.store.mark_synced(synced)?;
        let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
        scopepact_store::profiles::set_setting(self.store.connection(), SYNC_LAST, &now)?;
        Ok(now)
    }

    /// Changes held here that the server was not known to hold at the last completed sync
    /// (every change before the first).
    pub fn unsynced_changes(&mut self) -> Result<u32> {
        Ok(self.store.unsynced_changes()?)
    }

    /// The database file of this data directory (sync opens its own connection to it).
    pub fn database_path(&self) -> PathBuf {
        self.data_dir.join(scopepact_store::DATABASE_FILE)
    }

    /// The automerge-repo ids of every local document, for sync.
    pub fn storage_ids(&self) -> Result<Vec<String>> {
        Ok(self.store.storage_ids()?)
    }

    /// After sync: updates the list rows of these documents (adding the ones new here).
    /// Returns how many are new. Ids of something that is not a ScopePact document are skipped.
    pub fn reindex(&mut self, storage_ids: &[String]) -> Result<usize> {
        let mut new = 0;
        for storage_id in storage_ids {
            let Some(id) = scopepact_store::id_from_storage_id(storage_id) else {
                continue;
            };
            match self.store.reindex(id) {
                Ok(true) => new += 1,
                Ok(false) => {}
                Err(StoreError::Corrupt { .. }) => {}
                Err(other) => return Err(other.into()),
            }
        }
        Ok(new)
    }

    /// A document a live sync session received (by automerge-repo id): merged into the stored
    /// one, or stored when new here. Returns whether this device learned anything. An id that
    /// is not a ScopePact document id is refused.
    pub fn absorb(
        &mut self,
        storage_id: &str,
        document: scopepact_scope::Automerge,
    ) -> Result<bool> {
        let id = scopepact_store::id_from_storage_id(storage_id)
            .ok_or_else(|| StoreError::NoSuchDocument(storage_id.to_string()))?;
        Ok(self.store.absorb(id, document)? != scopepact_store::Absorbed::Unchanged)
    }

    /// Who this device is on the document `id` (on `commitment`), as presence tells the others
    /// who also have it open: its automerge-repo id and the acting profile; `None` when no
    /// profile acts here.
    pub fn presence(
        &self,
        id: &str,
        commitment: Option<String>,
    ) -> Result<Option<(String, scopepact_sync::presence::Presence)>> {
        let uuid = scopepact_store::parse_id(id)?;
        Ok(self.acting_profile()?.map(|p| {
            (
                scopepact_store::storage_id(&uuid),
                scopepact_sync::presence::Presence {
                    name: p.name,
                    role: role_word(p.role).to_string(),
                    device: device_name(),
                    commitment,
                },
            )
        }))
    }

    /// The id of the commitment or ambiguity with this ref (`C-01`, `A-02`), as scripts name them.
    pub fn item_id_by_ref(&mut self, id: &str, reference: &str) -> Result<String> {
        let view = self.view(id)?;
        let found = view
            .commitments
            .iter()
            .map(|c| (&c.reference, &c.id))
            .chain(view.ambiguities.iter().map(|a| (&a.reference, &a.id)))
            .find(|(r, _)| r.eq_ignore_ascii_case(reference.trim()))
            .map(|(_, id)| id.clone());
        found.ok_or_else(|| {
            ScopeError::no_such(message!("item-commitment_or_ambiguity"), reference).into()
        })
    }

    /// The id of assumption or exclusion number `number` (from 1, as the app numbers them).
    pub fn agreement_id(&mut self, id: &str, list: AgreementList, number: u32) -> Result<String> {
        let view = self.view(id)?;
        let items = match list {
            AgreementList::Assumption => &view.assumptions,
            AgreementList::Exclusion => &view.exclusions,
        };
        let what = match list {
            AgreementList::Assumption => message!("item-assumption"),
            AgreementList::Exclusion => message!("item-exclusion"),
        };
        items
            .iter()
            .find(|a| a.number == number)
            .map(|a| a.id.clone())
            .ok_or_else(|| {
                let count = items.len();
                ScopeError::invalid(
                    what,
                    message!("value-no-such-number", number = number, count = count),
                )
                .into()
            })
    }

    fn view_of(&mut self, id: Uuid) -> Result<DocumentView> {
        let (doc, model) = self.store.model(id)?;
        let mut view = DocumentView::new(&id.to_string(), doc, model)?;
        for commitment in &mut view.commitments {
            if let Some(origin) = &mut commitment.library {
                origin.vouched = self.library_vouches(origin)?;
            }
        }
        Ok(view)
    }
}

/// Writes `text` to `path` through a temporary file and a rename, so a failure leaves no
/// half-written file behind.
pub fn write_file_atomically(path: &Path, text: &str) -> Result<()> {
    write_bytes_atomically(path, text.as_bytes())
}

/// Writes through a temporary file in the same directory, so a reader never sees half a file.
/// The temporary file is created exclusively with a random name (never through a link someone
/// planted), and the target must be a regular file or nothing: a link, a device or a folder
/// there is refused, not replaced.
pub fn write_bytes_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    let fail = |reason: String| WorkspaceError::WriteFile {
        path: path.to_path_buf(),
        reason,
    };
    match std::fs::symlink_metadata(path) {
        Ok(meta) if !meta.file_type().is_file() => {
            return Err(fail(
                "it is not a regular file (a link, a device or a folder): choose another name"
                    .into(),
            ));
        }
        Ok(_) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(fail(e.to_string())),
    }
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let prefix = format!(".{name}.");
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".tmp");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o644));
    }
    let mut temporary = builder.tempfile_in(dir).map_err(|e| fail(e.to_string()))?;
    temporary
        .write_all(bytes)
        .and_then(|_| temporary.as_file().sync_all())
        .map_err(|e| fail(e.to_string()))?;
    temporary
        .persist(path)
        .map_err(|e| fail(e.error.to_string()))?;
    Ok(())
}

/// Our id of a document named by its automerge-repo id (as sync names them).
pub fn document_id_of(storage_id: &str) -> Option<String> {
    scopepact_store::id_from_storage_id(storage_id).map(|id| id.to_string())
}

/// A role as presence and meeting sessions tell it to the other laptops.
pub(crate) fn role_word(role: Role) -> &'static str {
    match role {
        Role::Commercial => "commercial",
        Role::Operational => "operational",
        Role::Executive => "executive",
    }
}

/// A readable name for this device, recorded with every change made here.
fn device_name() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .or_else(|| std::env::var("COMPUTERNAME").ok())
        .or_else(|| std::env::var("HOSTNAME").ok())
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "unnamed device".to_string())
}

fn read_interchange(path: &Path) -> Result<interchange::Document> {
    let text = read_bounded(path)?;
    let file =
        interchange::Document::parse(&text).map_err(|source| WorkspaceError::InvalidFile {
            path: path.to_path_buf(),
            source: Box::new(source),
        })?;
    if let Some(template) = &file.template {
        return Err(scopepact_company::CompanyError::IsATemplate(template.name.clone()).into());
    }
    Ok(file)
}

/// At most `limit` + 1 bytes of a file: the byte past the limit tells the caller the file is
/// too big, without reading (or holding) the rest of it.
pub fn read_file_bounded(path: &Path, limit: u64) -> Result<Vec<u8>> {
    use std::io::Read;
    let unreadable = |e: std::io::Error| WorkspaceError::ReadFile {
        path: path.to_path_buf(),
        reason: e.to_string(),
    };
    let mut bytes = vec![];
    std::fs::File::open(path)
        .map_err(unreadable)?
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(unreadable)?;
    Ok(bytes)
}

/// A `scopepact/v1` file's text, bounded before anything is read: a file past the format's
/// limit is refused as it is.
fn read_bounded(path: &Path) -> Result<String> {
    use std::io::Read;
    let unreadable = |e: std::io::Error| WorkspaceError::ReadFile {
        path: path.to_path_buf(),
        reason: e.to_string(),
    };
    let limit = scopepact_scope::rules::MAX_FILE_BYTES;
    let file = std::fs::File::open(path).map_err(unreadable)?;
    let mut text = String::new();
    file.take(limit + 1)
        .read_to_string(&mut text)
        .map_err(unreadable)?;
    if text.len() as u64 > limit {
        return Err(WorkspaceError::InvalidFile {
            path: path.to_path_buf(),
            source: Box::new(ScopeError::in_file(
                "$",
                message!("file-larger-than", max = limit / (1024 * 1024)),
            )),
        });
    }
    Ok(text)
}

/// The store's errors, said; a database's own text stays as the database wrote it.
fn store_message(e: &StoreError) -> Message {
    match e {
        StoreError::DataDir { path, reason } => message!(
            "error-data-dir",
            path = path.display().to_string(),
            reason = reason
        ),
        StoreError::Open { path, reason } => message!(
            "error-open-database",
            path = path.display().to_string(),
            reason = reason
        ),
        StoreError::NoSuchDocument(id) => message!("error-no-such-document", id = id),
        StoreError::BadDocumentId(id) => message!("error-bad-document-id", id = id),
        StoreError::InvalidProfile(problem) => problem.clone(),
        StoreError::NoSuchProfile(who) => message!("error-no-such-profile", who = who),
        StoreError::Corrupt { id, reason } => {
            message!("error-corrupt-document", id = id, reason = reason)
        }
        StoreError::Scope(e) => e.message(),
        StoreError::Company(e) => e.message(),
        StoreError::Sqlite(e) => message!("error-database", detail = e.to_string()),
    }
}

fn sync_message(e: &scopepact_sync::SyncError) -> Message {
    use scopepact_sync::SyncError;
    match e {
        SyncError::Unreachable { url, reason } => {
            message!("error-sync-unreachable", url = url, reason = reason)
        }
        SyncError::Unauthorized { url } => message!("error-sync-unauthorized", url = url),
        SyncError::WrongCode => message!("error-session-wrong-code"),
        SyncError::SessionEnded => message!("error-session-ended"),
        SyncError::RemovedFromSession => message!("error-session-removed"),
        SyncError::SessionUnreachable { address, reason } => {
            message!(
                "error-session-unreachable",
                address = address,
                reason = reason
            )
        }
        SyncError::NotASession { address, reason } => {
            message!("error-not-a-session", address = address, reason = reason)
        }
        SyncError::SessionFull { address } => message!("error-session-full", address = address),
        SyncError::TooManyWrongCodes { seconds } => {
            message!("error-session-wait", seconds = *seconds)
        }
        other => message!("error-sync", detail = other.to_string()),
    }
}

/// A PDF's verdict, said; the detail of what failed is the verifier's own (English) text.
fn pdf_message(e: &scopepact_pdf::PdfError) -> Message {
    use scopepact_pdf::PdfError;
    match e {
        PdfError::Tampered(detail) => message!("error-pdf-tampered", detail = detail),
        PdfError::NotCurrent(detail) => message!("error-pdf-not-current", detail = detail),
        PdfError::Unsigned(detail) => message!("error-pdf-unsigned", detail = detail),
        PdfError::Unproven(detail) => message!("error-pdf-unproven", detail = detail),
        PdfError::CannotSeal(detail) => message!("error-pdf-cannot-seal", detail = detail),
        PdfError::Pdf(detail) => message!("error-pdf-unreadable", detail = detail),
        PdfError::Logo(problem) => logo_message(problem),
        other => message!("error-pdf", detail = other.to_string()),
    }
}

fn logo_message(problem: &scopepact_pdf::logo::LogoProblem) -> Message {
    use scopepact_pdf::logo::LogoProblem;
    match problem {
        LogoProblem::TooBig { bytes } => message!("logo-too-big", bytes = bytes.to_string()),
        LogoProblem::NotAnImage => message!("logo-not-an-image"),
        LogoProblem::TooManyPixels { width, height } => message!(
            "logo-too-many-pixels",
            width = width.to_string(),
            height = height.to_string()
        ),
        LogoProblem::Unreadable(detail) => message!("logo-unreadable", detail = detail),
    }
}

fn kpi_message(e: &scopepact_kpis::KpiError) -> Message {
    use scopepact_kpis::KpiError;
    match e {
        KpiError::BadDate(value) => message!("value-not-a-date", value = value),
        KpiError::EmptyPeriod { from, to } => message!(
            "kpi-empty-period",
            from = from.to_string(),
            to = to.to_string()
        ),
        KpiError::BadPeriod(value) => message!("kpi-bad-period", value = value),
        KpiError::BadGrouping(value) => message!("kpi-bad-grouping", value = value),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "../../tests/fixtures/press-line-retrofit.json";

    #[test]
    fn a_file_larger_than_what_is_accepted_is_read_only_one_byte_past_the_limit() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("huge.pdf");
        // Sparse: 1 GiB on paper, nothing on disk.
        std::fs::File::create(&path)
            .unwrap()
            .set_len(1 << 30)
            .unwrap();
        assert_eq!(read_file_bounded(&path, 1000).unwrap().len(), 1001);
        std::fs::write(&path, b"small").unwrap();
        assert_eq!(read_file_bounded(&path, 1000).unwrap(), b"small");
        assert!(matches!(
            read_file_bounded(&dir.path().join("missing"), 10),
            Err(WorkspaceError::ReadFile { .. })
        ));
    }

    #[test]
    fn a_library_origin_a_peer_wrote_is_only_a_claim_and_is_not_confirmed_in_one_action() {
        use scopepact_scope::edit::LibraryCommitment;
        use scopepact_scope::interchange::{CommitmentKind, ValidationStatus};
        let dir = tempfile::tempdir().unwrap();
        let mut ws = Workspace::open(Some(dir.path().to_path_buf())).unwrap();
        ws.add_profile("Ana Ruiz", "ana@example.com", Role::Commercial)
            .unwrap();
        let id = ws.create("Prensa 12").unwrap().id;
        // What another device can write into the shared deal: the core's own edit, with an
        // entry of its choosing (not this device's library).
        let forged = LibraryCommitment {
            entry: "00000000-0000-0000-0000-000000000000:c1".into(),
            kind: CommitmentKind::Product,
            title: "Backup hydraulic unit".into(),
            description: String::new(),
            quantity: Some(1.0),
            unit: "unit".into(),
            parameters: vec![],
            lead_time_weeks: None,
            acceptance: String::new(),
            price: Some(10.0),
            cost_estimate: Some(5.0),
            verdict: ValidationStatus::Feasible,
            condition: None,
            validated_by: "Jörg Müller".into(),
            validated_at: "2026-11-20T10:00:00Z".into(),
            deal: "Servo press line".into(),
            customer: "Metalúrgica del Norte".into(),
        };
        ws.apply_edit(
            &id,
            &Edit::AddFromLibrary {
                entry: Box::new(forged),
                after: None,
            },
        )
        .unwrap();
        let view = ws.view(&id).unwrap();
        let commitment = view.commitments[0].clone();
        assert!(!commitment.library.as_ref().unwrap().vouched);

        let jorg = ws
            .add_profile("Jörg Müller", "jorg@example.com", Role::Operational)
            .unwrap();
        ws.switch_profile(&jorg.id).unwrap();
        let refused = ws
            .edit(
                &id,
                &Edit::ConfirmFromLibrary {
                    id: commitment.id.clone(),
                },
            )
            .unwrap_err();
        let said = scopepact_messages::say(Language::En, &refused.message());
        assert!(said.contains("does not hold as described"), "{said}");
        let after = ws.view(&id).unwrap();
        assert_eq!(
            after.commitments[0].validation.status,
            ValidationStatus::Pending
        );
    }

    #[test]
    fn import_view_edit_export() {
        let dir = tempfile::tempdir().unwrap();
        let mut ws = Workspace::open(Some(dir.path().to_path_buf())).unwrap();
        ws.add_profile("Ana Ruiz", "ana@example.com", Role::Commercial)
            .unwrap();
        let id = ws.import_file(Path::new(SAMPLE)).unwrap().to_string();
        let view = ws.view(&id).unwrap();
        assert_eq!(view.commitments.len(), 7);
        let (_, view) = ws
            .edit(
                &id,
                &Edit::MoveCommitment {
                    id: view.commitments[6].id.clone(),
                    to_index: 0,
                },
            )
            .unwrap();
        assert_eq!(view.commitments[0].reference, "C-07");
        assert!(ws
            .export_json(&id)
            .unwrap()
            .starts_with("{\n  \"format\": \"scopepact/v1\""));
    }

    #[test]
    fn the_document_records_each_profiles_certificate_bound_to_its_key() {
        let dir = tempfile::tempdir().unwrap();
        let mut ws = Workspace::open(Some(dir.path().to_path_buf())).unwrap();
        let ana = ws
            .add_profile("Ana Ruiz", "ana@example.com", Role::Commercial)
            .unwrap();
        let id = ws.import_file(Path::new(SAMPLE)).unwrap();
        let certificate = ws.certificate_of(&ana).unwrap();
        let (_, model) = ws.store.model(id).unwrap();
        let record = model
            .actors
            .values()
            .find(|a| a.name == "Ana Ruiz")
            .expect("Ana's actor is recorded");
        assert_eq!(
            record.certificate_sha256.as_deref(),
            Some(
                scopepact_signing::certificate::certificate_fingerprint(certificate.certificate())
                    .as_str()
            )
        );
        scopepact_signing::certificate::check_binding(
            &ana.public_key,
            certificate.certificate(),
            record.certificate_binding.as_deref().unwrap(),
        )
        .unwrap();
    }

    #[test]
    fn the_shipped_sample_opens_as_a_new_document_each_time() {
        let dir = tempfile::tempdir().unwrap();
        let mut ws = Workspace::open(Some(dir.path().to_path_buf())).unwrap();
        ws.add_profile("Ana Ruiz", "ana@example.com", Role::Commercial)
            .unwrap();
        let first = ws.create_sample().unwrap();
        let second = ws.create_sample().unwrap();
        assert_ne!(first, second);
        let view = ws.view(&first.to_string()).unwrap();
        assert_eq!(view.commitments.len(), 7);
        assert_eq!(ws.list().unwrap().len(), 2);
    }

    #[test]
    fn the_ui_language_is_kept_per_profile_and_per_data_directory() {
        let dir = tempfile::tempdir().unwrap();
        let mut ws = Workspace::open(Some(dir.path().to_path_buf())).unwrap();
        assert_eq!(ws.ui_language().unwrap(), None);
        // Chosen before any profile exists: the data directory remembers it.
        ws.set_ui_language(Language::Es).unwrap();
        let ana = ws
            .add_profile("Ana Ruiz", "ana@example.com", Role::Commercial)
            .unwrap();
        assert_eq!(ws.ui_language().unwrap(), Some(Language::Es));
        ws.set_ui_language(Language::En).unwrap();
        let jorg = ws
            .add_profile("Jörg Müller", "jorg@example.com", Role::Operational)
            .unwrap();
        ws.switch_profile(&jorg.id).unwrap();
        ws.set_ui_language(Language::Es).unwrap();
        ws.switch_profile(&ana.id).unwrap();
        assert_eq!(ws.ui_language().unwrap(), Some(Language::En));
        ws.switch_profile(&jorg.id).unwrap();
        assert_eq!(ws.ui_language().unwrap(), Some(Language::Es));
        // Another data directory of the same user starts with nothing chosen.
        let other = tempfile::tempdir().unwrap();
        let ws2 = Workspace::open(Some(other.path().to_path_buf())).unwrap();
        assert_eq!(ws2.ui_language().unwrap(), None);
    }

    #[test]
    fn errors_have_kinds() {
        let dir = tempfile::tempdir().unwrap();
        let mut ws = Workspace::open(Some(dir.path().to_path_buf())).unwrap();
        assert_eq!(ws.view("nope").unwrap_err().kind(), ErrorKind::InvalidInput);
        assert_eq!(
            ws.view(&Uuid::now_v7().to_string()).unwrap_err().kind(),
            ErrorKind::NotFound
        );
        assert_eq!(
            ws.import_file(Path::new("/no/such/file.json"))
                .unwrap_err()
                .kind(),
            ErrorKind::Io
        );
        let bad = dir.path().join("bad.json");
        std::fs::write(&bad, "{\"format\": \"scopepact/v1\"}").unwrap();
        let err = ws.import_file(&bad).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidInput);
        assert!(
            err.to_string().contains("bad.json") && err.to_string().contains("title"),
            "{err}"
        );
        assert!(ws.list().unwrap().is_empty());
    }
}

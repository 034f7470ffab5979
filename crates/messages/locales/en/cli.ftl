# What the command line prints for people (its JSON is for scripts and is not translated).

cli-edited = { $doc }: { $status } ({ $left ->
    [one] 1 condition left
   *[other] { $left } conditions left
})
cli-imported-into = { $doc }: { $commitments_added } commitment(s) added, { $commitments_matched } matched; { $ambiguities_added } ambiguity(ies) added, { $ambiguities_matched } matched
cli-pdf-needs-file = a PDF goes to a file: add -o FILE.pdf
cli-status = status: { $status }
cli-economics = economics: revenue { $revenue } · cost { $cost } · margin { $margin }
cli-threshold-override = threshold for this deal: { $threshold } { $deal } (company: { $company }) — { $reason }
cli-unmet-conditions = unmet conditions:
cli-damaged-values = damaged values (scopepact repair DOC_ID restores them):
cli-damaged-value = { $item } { $field }: { $found } found, { $expected } expected; written by { $by }
cli-damaged-value-on = { $item } { $field }: { $found } found, { $expected } expected; written by { $by } on { $device }
cli-signed-sealed = { $doc }: signed as { $role }; every required signature holds: the scope is sealed
cli-signed-missing = { $doc }: signed as { $role }; still needed: { $missing }
cli-verified = { $file }: valid — “{ $title }”, { $status } (document { $document }, content SHA-256 { $sha256 })
    sealed by { $by } on { $at } (key { $key })
cli-no-signatures = no signatures
cli-verified-signature = { $signer } <{ $email }>{ $tab }{ $role }{ $tab }{ $time }{ $tab }key { $key }{ $tab }valid
cli-verified-witnessed = { $signer } <{ $email }>{ $tab }{ $role }{ $tab }{ $time }{ $tab }key { $key }, witnessed by { $witness }{ $tab }valid
cli-verified-pdf-signature = PDF signature{ $tab }{ $field }{ $tab }{ $signer }{ $tab }{ $time }{ $tab }{ $subject }{ $tab }issued by { $issuer } ({ $issuer_name }){ $tab }{ $verdict }
cli-unsigned-field = PDF signature{ $tab }{ $field }{ $tab }not signed yet
cli-countersigned = { $file }: signed the { $fields } { $count ->
    [one] field
   *[other] fields
}
cli-synced = { $documents ->
    [one] synced 1 document
   *[other] synced { $documents } documents
} with { $server }: { $received } received changes, { $new } new here
cli-certificates-adopted = { $count ->
    [one] 1 profile certificate issued by the company root
   *[other] { $count } profile certificates issued by the company root
}

## kpis

cli-kpi-nothing = nothing happened in this period
cli-kpi-deals = deals
cli-kpi-stopped = stopped at validation
cli-kpi-stopped-value = { $deals } (value { $value })
cli-kpi-signed = signed deals
cli-kpi-transferred = ambiguities transferred per signed deal
cli-kpi-handed-off = handed-off deals
cli-kpi-rework = rework per handed-off deal
cli-kpi-rework-value = { $entries } entries, { $hours } h, cost { $cost }
cli-kpi-rework-share = rework from transferred ambiguities
cli-kpi-satisfaction = customer satisfaction
cli-kpi-satisfaction-value = { $average } ({ $answers } answers)
cli-kpi-cycle = median draft → ready → signed → handed off
cli-kpi-attendance = meetings with full attendance
cli-kpi-attendance-value = { $share } of { $held } held
cli-library-entry = { $title } — { $verdict } by { $by } on { $day } for { $customer }
cli-library-entry-conditional = { $title } — conditional by { $by } on { $day } for { $customer } (condition: { $condition })
cli-library-rework = { $count ->
    [one] rework was logged against it once after its handoff
   *[other] rework was logged against it { $count } times after its handoff
}
cli-library-retired = retired by { $by }: { $reason }
cli-library-nothing = nothing in the library matches “{ $text }”
cli-template-line = product line “{ $line }”, { $commitments } commitment(s), { $questions } question(s), saved by { $by }

## Meeting sessions (session host / join / list)
cli-session-none-found = no meeting session found on the local network (is multicast blocked? then type the host's address)
cli-session-not-advertised = the session is not advertised on the local network ({ $reason }): joiners type the address
cli-session-joined = #{ $number } joined: { $name } ({ $role }, { $device })
cli-session-left = #{ $number } left: { $name }
cli-session-bad-command = not understood: "{ $line }" (the host takes `remove N`)
cli-session-ended = the session ended; every edit is in this laptop's store
cli-session-joined-host = joined "{ $title }", hosted by { $host }
cli-session-host-ended = the host ended the session; every edit is in this laptop's store
cli-session-offline = the host is out of reach ({ $reason }); trying again

# What the core says: refusals by a rule, values it cannot take, files that break the format,
# and the words those messages use. Clauses, not sentences: the command line prints them after
# "error: ", the app as a sentence.

## Errors of the core

value-invalid = { $field }: { $problem }
item-missing = no { $what } with id { $id } in this document
file-invalid = { $path }: { $problem }
file-invalid-at = { $path }: { $problem } (line { $line }, column { $column })
error-not-a-scope-document = the document's data is not a ScopePact scope document: { $detail }
error-write-change = could not write the change into the document: { $detail }
error-automerge = automerge: { $detail }

## Refusals by a rule

refusal-no_profile = choose or create a profile first: every change is attributed
refusal-wrong_role = only an { $needed } profile may { $action }; { $actor } is { $actual }
refusal-other_side_must_agree = the { $side } side wrote this { $what }: agreement must come from the other side
refusal-executive_not_a_side = assumptions and exclusions are written and agreed by the commercial and operational sides, not by an executive
refusal-blocking_not_transferable = { $reference } is blocking: it can only be resolved, or overridden by an executive
refusal-transferred_not_blocking = { $reference } was transferred as non-blocking; reopen it before making it blocking
refusal-nothing_to_override = the economics pass the gate: there is nothing to override
refusal-not_open_blocking = { $reference } is not an open blocking ambiguity: only those are overridden
refusal-sealed = the scope is signed and sealed: start an amendment (with its reason) to change it; the signatures will then have to be given again
refusal-not_ready_to_sign = the scope cannot be signed while it is { $status }: the gate must hold (ready to sign)
refusal-signature_not_needed = this scope does not need a signature from { $role } (already signed, or not required for this deal)
refusal-not_the_named_lead = { $role } named in the header is { $named }: { $actor } cannot sign in that role
refusal-not_sealed = an amendment is started on a signed scope; this one is not signed
refusal-not_signed = the transfer meeting hands over a signed scope; this one is { $status }
refusal-not_handed_off = rework and customer satisfaction are recorded after the handoff; this scope is { $status }
action-validate = give an operational verdict
action-override = override the gate
action-revoke_override = revoke an override
action-change_settings = change the company settings
action-retire_library_entry = retire a library entry or restore it
list-assumption = assumption
list-exclusion = exclusion

## Words in a sentence

role-commercial = commercial
role-operational = operational
role-executive = executive
signer-commercial_lead = the commercial lead
signer-operational_lead = the operational lead
signer-customer = the customer
status-draft = draft
status-in_validation = in validation
status-ready_to_sign = ready to sign
status-signed = signed
status-handed_off = handed off
status-closed = closed
status-stopped_at_validation = stopped at validation
status-amended_after_signature = amended after signature

## Items

item-commitment = commitment
item-deleted_commitment = deleted commitment
item-ambiguity = ambiguity
item-assumption = assumption
item-exclusion = exclusion
item-override = override
item-attendee = attendee
item-action_item = action item
item-decision_or_action = decision or action item
item-rework_entry = rework entry

## Fields

field-title = title
field-value = value
field-currency = currency
field-target_close = target_close
field-margin_threshold_pct = margin_threshold_pct
field-significant_value = significant_value
field-company_thresholds = company_thresholds
field-ref = ref
field-quantity = quantity
field-price = price
field-cost_estimate = cost_estimate
field-lead_time_weeks = lead_time_weeks
field-delivery_date = delivery_date
field-parameters = parameters
field-description = description
field-condition = condition
field-reason = reason
field-question = question
field-answer = answer
field-owner = owner
field-due = due
field-commitments = commitments
field-ambiguities = ambiguities
field-assumptions = assumptions
field-exclusions = exclusions
field-overrides = overrides
field-text = text
field-override_reason = reason
field-amendment_reason = reason
field-name = name
field-customer_name = customer name
field-customer_email = customer email
field-drawing = drawing
field-signature = signature
field-actor = actor
field-edit = edit
field-conflict = conflict
field-item = { $id }
field-meeting = meeting
field-meeting_time = meeting time
field-attendee = attendee
field-attendee_email = attendee email
field-attendees = attendees
field-decision = decision
field-decisions = decisions
field-action_item = action item
field-action_items = action items
field-action_owner = action owner
field-action_due = action due date
field-rework = rework
field-rework_date = rework date
field-rework_commitments = rework commitments
field-rework_ambiguity = rework ambiguity
field-rework_cost = rework cost
field-rework_hours = rework hours
field-rework_description = rework description
field-satisfaction = satisfaction
field-satisfaction_date = satisfaction date

## What is wrong with a value

value-empty = must not be empty
value-negative = must be zero or more, not { $value }
value-not-negative = must be zero or more
value-not-a-date = "{ $value }" is not a date of the form YYYY-MM-DD
value-not-a-moment = "{ $value }" is not a date (YYYY-MM-DD) or a date and time (YYYY-MM-DDTHH:MM)
value-not-a-currency = "{ $value }" is not a three-letter ISO 4217 code such as EUR
value-not-an-email = "{ $value }" is not an email address
value-not-an-actor = "{ $value }" is not a hexadecimal actor id
value-percent-range = must be between -100 and 100
value-company-thresholds-from-settings = taken from the company settings when the deal is made, never set by hand
value-ref-taken = another commitment already has ref "{ $reference }"
value-parameter-unnamed = every technical parameter needs a name
value-no-commitment-ref = no commitment has ref "{ $reference }"
value-no-ambiguity-ref = no ambiguity has ref "{ $reference }"
value-no-such-commitment = no commitment { $reference } in this scope
value-no-such-ambiguity = no ambiguity { $reference } in this scope
value-condition-needed = a conditional verdict needs its condition
value-reason-needed = an infeasible verdict needs its reason
value-answer-needed = resolving an ambiguity needs its answer
value-transfer-owner = a transfer needs an owner
value-action-owner = an action item needs an owner
value-override-reason = an override needs a written reason
value-amendment-reason = say why the signed scope must change
value-name-as-profile = type your name as your profile has it: { $name }
value-customer-typed = the customer signs with a typed name and email
value-drawing-strokes = strokes are x, y pairs between 0 and 1
value-signature-stale = the signature does not cover this document as it is now
value-edit-elsewhere = { $action } is not a { $stage } edit
value-conflict-gone = that field no longer exists in the document
value-conflict-settled = this field has no concurrent values any more (someone already chose)
value-conflict-no-such-choice = "{ $value }" is not one of the values of this field
value-conflict-not-a-scalar = only single values can be chosen; edit the field instead
value-attendee-name = an attendee needs a name
value-rework-names-ambiguity = rework caused by an ambiguity names it (A-02…)
value-rework-description = say what had to be redone
value-score-range = the score goes from 0 to 10
value-text-too-long = a text of { $bytes } bytes: a field holds at most { $max } bytes
value-too-many = at most { $max } of them in a document
value-shared-text-too-long = the descriptions and the minutes would hold { $bytes } bytes together; a document holds at most { $max } bytes of them

## A file that breaks the scopepact/v1 format

file-too-big = the file is { $mib } MiB; a scopepact/v1 file is at most { $max } MiB
file-json = { $detail }
file-list-too-long = { $items } items: a list holds at most { $max }
file-format = expected "{ $expected }", found "{ $found }"
file-title-empty = the title must not be empty
file-template-name-empty = a template needs a name
file-ref-empty = the ref must not be empty
file-ref-duplicate = duplicate ref "{ $reference }"
file-text-empty = the text must not be empty
file-transfer-needs-owner-and-due = a transferred ambiguity needs an owner and a due date
file-blocking-transferred = a blocking ambiguity cannot be transferred: resolve it, or an executive overrides it
file-override-names-ambiguity = an ambiguity override names the ambiguity
file-action-needs-text-and-owner = an action item needs its text and an owner
file-rework-ambiguity-without-cause = only rework with cause "ambiguity" names an ambiguity
file-score-range = the score goes from 0 to 10, found { $score }
file-not-a-positive-number = must be a number of zero or more, found { $value }
file-not-a-timestamp = "{ $value }" is not an RFC 3339 time such as 2026-11-20T10:14:00Z

## Errors of this device: its data directory, files, profiles, sync, PDFs, indicators

error-in-file = { $path }: { $problem }
error-read-file = cannot read { $path }: { $reason }
error-write-file = cannot write { $path }: { $reason }
file-larger-than = the file is larger than { $max } MiB, the most a scopepact/v1 file can be
error-data-dir = cannot use the data directory { $path }: { $reason }
error-open-database = cannot open the database { $path }: { $reason }
error-no-such-document = no document with id { $id }
error-bad-document-id = "{ $id }" is not a document id (expected a UUID such as 0193a5c2-7f3e-7d61-9a4b-2c8e5f1d0a42)
error-no-such-profile = no profile "{ $who }" on this device (see `scopepact profile list`)
error-corrupt-document = the stored data of document { $id } is damaged: { $reason }
error-database = database error: { $detail }
profile-needs-name = a profile needs a name
profile-bad-email = "{ $value }" is not an email address such as ana.ruiz@example.com
profile-taken = { $other } already has a profile with { $email } on this device
profile-unknown-role = unknown role { $value }
item-commitment_or_ambiguity = commitment or ambiguity
value-no-such-number = there is no number { $number } (there are { $count })
error-sync-unreachable = cannot reach the sync server at { $url }: { $reason }
error-sync-unauthorized = the sync server at { $url } refused this device's token (401): ask for a new one with `scopepact invite`
error-sync = { $detail }
error-session-wrong-code = this is not the session's code (mistyped, or changed after 5 wrong tries): ask the host for the code on their screen
error-session-ended = the meeting session ended; every edit is kept on this laptop
error-session-removed = the host removed this laptop from the meeting session; every edit is kept on this laptop
error-session-unreachable = no meeting session answers at { $address }: { $reason }
error-not-a-session = { $address } is not a ScopePact meeting session: { $reason }
error-session-full = the meeting session at { $address } is full: ask the host to remove someone
error-session-wait = too many wrong codes from this laptop: try again in { $seconds } s with the code on the host's screen
error-signing = { $detail }
error-pdf-tampered = the file does not verify: { $detail }
error-pdf-not-current = { $detail }
error-pdf-unsigned = the file proves nothing: { $detail }
error-pdf-unproven = the file cannot be verified: { $detail }
error-pdf-cannot-seal = { $detail }
error-pdf-unreadable = not a readable PDF: { $detail }
logo-too-big = the logo is { $bytes } bytes; a logo is at most 1 MiB (1048576 bytes)
logo-not-an-image = the logo must be a PNG or JPEG file
logo-too-many-pixels = the logo is { $width } × { $height } pixels; at most 4096 a side
logo-unreadable = the logo does not decode: { $detail }
error-pdf = { $detail }
kpi-empty-period = the period is empty: { $from } comes after { $to }
kpi-bad-period = "{ $value }" is not a period: use a month (2027-02), a quarter (2027-Q1) or a year (2027)
kpi-bad-grouping = "{ $value }" is not a grouping: use pair, customer or all

## The gate's unmet conditions

unmet-missing-title = the title is missing
unmet-missing-customer = the customer is missing
unmet-missing-value = the deal value is missing
unmet-missing-currency = the currency is missing
unmet-missing-commercial-lead = the commercial lead is missing
unmet-missing-operational-lead = the operational lead is missing
unmet-missing-customer-signatory = a significant deal needs the customer's signatory
unmet-damaged = { $what } does not read ({ $found } found, { $expected } expected): repair the document or enter it again
unmet-no-commitments = there is no commitment yet
unmet-validation-pending = { $reference } is waiting for operational validation
unmet-validation-lapsed = { $reference } changed since it was validated ({ $fields }): it needs operational validation again
unmet-commitment-infeasible = { $reference } was judged infeasible
unmet-blocking-ambiguity-open = { $reference } is a blocking ambiguity still open: resolve it
unmet-ambiguity-open = { $reference } is still open: resolve it or transfer it with an owner and a due date
unmet-assumption-not-agreed = assumption { $number } is not yet agreed by the other side
unmet-exclusion-not-agreed = exclusion { $number } is not yet agreed by the other side
unmet-cost-exceeds-revenue = the cost estimate ({ $cost }) is not below the revenue ({ $revenue })
unmet-margin-below-threshold = the margin of { $margin } % is below the deal's { $threshold } % threshold
unmet-threshold-override-unexplained = this deal sets { $fields } apart from the company's thresholds: say why
unmet-override-stale = { $reason }; { $by }'s override covered revenue { $revenue } and cost { $cost }, and the figures changed since: a new override is needed

## The company document: settings, templates, the library

company-unknown-setting = "{ $key }" is not a setting; the settings are { $keys }
company-invalid-setting = { $key }: { $problem }
company-not-an-executive = { $actor } is not one of the company's executives ({ $executives }): only they change the settings
company-no-such-template = no template named "{ $name }" (see `scopepact template list`)
company-not-a-template = the file is a deal, not a template: a template file has a "template" marker with its name
company-is-a-template = the file is the template "{ $name }", not a deal: make a deal from it with `scopepact new --template`, or add it with `scopepact template import`
company-write = the company document cannot be written: { $detail }
company-retire-reason = say why the entry should not be suggested any more
company-no-such-entry = no library entry { $id } (see `scopepact library search`)
value-not-a-number = "{ $value }" is not a number
value-at-most-100 = must be at most 100
company-template-needs-signed = only a signed scope becomes a template (its wording is what operations validated and both sides signed); this one is { $status }
field-library = library entry
value-library-verdict = only an entry validated feasible or conditional can be inserted
value-not-from-library = { $reference } was not inserted from the library: give it a verdict
value-library-entry-not-here = { $reference } names the library entry { $entry }, which this device's library does not hold as described (retired, or written by another device): give it a verdict
value-library-changed = { $reference } changed since it was inserted from the library ({ $fields }): give it a verdict

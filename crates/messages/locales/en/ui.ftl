# The app's screens. Ids are those the UI code names (`t("id")`); typed in
# ui/src/lib/messages.generated.ts.

tagline = Committed scope, shared by sales and operations
data = Data
language = Language
profile = Profile
addProfile = Add profile…
whoAreYou = Who are you?
whoAreYouHint = Every change is signed with your name and this device. Several people can share this laptop: add a profile each and switch with one click.
newProfile = New profile
name = Name
email = Email
role = Role
createProfile = Create profile
cancel = Cancel
signatures = Signatures
sealedNote = Signed and sealed: every required signature holds. Content changes need an amendment.
signWhenReady = Signing opens when the gate holds (ready to sign).
drawnSignature = Drawn signature
witnessedBy = witnessed by { $who }
signAs = Sign as { $role }
awaitingSignature = Not signed yet.
lapsedSignatures = { $n ->
    [one] { $n } signature that no longer holds
   *[other] { $n } signatures that no longer hold
}
lapse-content_changed = the content changed after it
lapse-amended = voided by an amendment
lapse-invalid = does not verify
postSignatureChanges = Changed after the signatures (nothing was dropped):
amendmentReason = Why must the signed scope change?
startAmendment = Start amendment
amendedBy = Amendment started by { $by } on { $at }: { $reason }
statement = Statement
statement-commercial_lead = I commit the company to the scope above, as validated by operations.
statement-operational_lead = I commit operations to deliver the scope above, as validated.
statement-customer = I accept the scope above as what we agreed.
customerName = Customer's name
customerEmail = Customer's email
typeYourName = Type your name
witnessNote = The customer signs on this laptop; { $who }'s key witnesses it.
drawHere = Sign in the box with the mouse, pen or finger.
clear = Clear
sign = Sign
keyFingerprint = Your signing key's fingerprint
printedScope = Printed scope
paper = Paper
exportPdf = Export PDF
saveAs = Save as…
exporting = Exporting…
exportUnsealed = Not sealed yet: the PDF shows the scope as it stands, with the signatures given so far.
exportedTo = Saved to
print = Print
sentToPrinter = Sent to the printer.
verifyPdf = Verify a PDF…
dropToVerify = Drop a ScopePact PDF to verify it
verifiedValid = The PDF verifies
verifiedInvalid = The PDF does not verify
valid = valid
sealedBy = Sealed by { $who } on { $at } (key { $key }).

## Documents list
documents = Scope documents
noDocuments = No scope documents yet
openSample = Open a sample deal
sampleHint = The sample is a press-line retrofit with seven commitments, ambiguities and economics, to look around before writing your own.
newDocumentTitle = Title of the new scope document
create = Create
importFile = Import scopepact/v1 file…
fromTemplate = Template
noTemplate = Empty document
companySettings = Company settings
companyName = Company name
defaultCurrency = Default currency
defaultSignificantValue = A deal is significant from (value)
defaultMinMargin = Minimum margin (%)
onlyExecutiveSettings = Only an executive changes the company settings; they reach every device when it syncs.
logo = Logo on the printed scope
chooseLogo = Choose a PNG or JPEG…
removeLogo = Remove the logo
logoInfo = { $format }, { $width } × { $height } pixels
noLogo = none
companyChange = { $at } · { $by }: { $what }
saveAsTemplate = Save as template
templateName = Template name
productLine = Product line
templateSaved = Saved as the template { $name }: { $n } commitments, { $questions } questions.
retireEntry = Retire this library entry
retireReason = Why it should no longer be suggested
retiredEntry = Retired from the library: it is no longer suggested.
title = Title
customer = Customer
value = Value
status = Status
updated = Updated
open = Open

## Editor
allDocuments = ← All documents
header = Header
site = Site
customerContact = Customer contact
contactEmail = Contact email
crmRef = Deal reference (CRM)
currency = Currency
targetClose = Target close date
marginThreshold = Margin threshold (%)
significantValue = Significant from (deal value)
thresholdsReason = Why this deal's thresholds differ from the company's
significantByValue = significant by its value (from { $from })
significant = Significant deal (customer attends the transfer meeting and signs)
commercial_lead = Commercial lead
operational_lead = Operational lead
customer_signatory = Customer signatory
executive = Executive
committedScope = Committed scope
commitmentsCount = { $n ->
    [one] { $n } commitment
   *[other] { $n } commitments
}
ref = Ref
kind = Kind
qty = Qty
price = Price
costEstimate = Cost estimate
validation = Validation
actions = Actions
moveUp = Move { $ref } up
moveDown = Move { $ref } down
delete = Delete
deleteItem = Delete { $ref }
keep = Keep
newCommitmentTitle = New commitment title
addCommitment = Add commitment
filterAll = All
filterPending = Pending
filterConditional = Conditional
filterInfeasible = Infeasible
filterMine = Mine
filterMineHint = Written by my side ({ $role })
noneMatch = No commitment matches this filter.
keyboardHint = Keys: ↑/↓ move between rows, Enter saves and goes down, Alt+↑/↓ reorders, Alt+N adds, Ctrl+S saves, Esc closes.

## Detail
close = Close
description = Description
quantity = Quantity
unit = Unit
leadTime = Lead time (weeks)
deliveryDate = Delivery date
author = Author
acceptance = Acceptance criterion
parameters = Technical parameters
parameter = Parameter
tolerance = Tolerance
addParameter = Add parameter
removeParameter = Remove parameter { $name }
operationalValidation = Operational validation
verdictBy = { $verdict } by { $by }, { $at }
lapsed = Was { $verdict }; changed since: { $fields }. It needs a new verdict.
conditionLabel = Condition (required for conditional)
reasonLabel = Reason (required for infeasible)
noteLabel = Condition or reason
onlyOperational = Only an operational profile gives verdicts.
history = History
noHistory = No change recorded yet.
linkedAmbiguities = Open ambiguities: { $refs }

## Ambiguities
ambiguities = Ambiguity register
question = Question
raisedBy = Raised by
linked = Commitments
severity = Severity
owner = Owner
due = Due
answer = Answer
resolve = Resolve
transfer = Transfer
reopen = Reopen
raise = Raise ambiguity
newQuestion = New question
linkedRefs = Linked refs (C-01, C-02)
overridden = overridden by the executive

## Agreements
assumptions = Assumptions
exclusions = Exclusions
agree = Agree
agreedBy = Agreed by { $name } ({ $role })
awaiting = Awaiting the other side
writtenBy = Written by the { $role } side
addAssumption = Add assumption
addExclusion = Add exclusion
newText = New text

## Economics
economics = Economics
revenue = Revenue
cost = Cost
margin = Margin
threshold = threshold { $n } %
costOverPrice = cost exceeds price
total = Total (deal value vs. cost estimates)

## Gate
gate = Gate
gateClear = Every condition is met: ready to sign.
unmet = Unmet conditions
overrideEconomics = Override the economics
overrideAmbiguity = Override { $ref }
overrideReason = Written reason
override = Override
overrides = Overrides
overrideBy = { $gate } overridden by { $by } on { $at }: { $reason }
revoke = Revoke

## Conflicts
conflicts = Concurrent edits to settle
conflictsHint = Two people changed the same field on different devices. Keep one value; nothing is chosen for you.
keepThis = Keep this
deletionsInQuestion = Deleted commitments edited elsewhere
deletionsHint = Someone changed these commitments on another device before the deletion reached them. Their change is kept: restore the commitment or confirm the deletion.
deletedBy = Deleted by { $who } on { $at }; changed since: { $fields }.
restoreCommitment = Restore it
confirmDeletion = Confirm deletion
shown = shown now
printedLanguage = Language of the printed scope
countersignPdf = Add my signature to a PDF…
countersignThis = Add my signature to this PDF
countersignedFields = Signed in the PDF: { $fields }
pdfSignatures = PDF signatures (what any PDF reader checks)
issuerSelf = self-issued certificate
issuerCompany = certificate issued by the company root
issuerUnknown = certificate from an issuer not trusted here
notSignedYet = not signed yet
damageTitle = Values that do not read
damageHint = Another device wrote these values in a form ScopePact cannot read. The rest of the document works; each one reads as empty until it is repaired. Repair restores the last value that read, from the document's history.
damageLine = { $item } { $field }: { $found } (expected { $expected }), written by { $by }
repair = Restore the last values that read
repairedLine = Restored { $what }
repairLeft = Left for you to enter again: { $what }

## Gate reasons
gate-missing_header_field = Missing: { $field }
gate-no_commitments = There is no commitment yet
gate-validation_pending = { $ref } is waiting for operational validation
gate-validation_lapsed = { $ref } changed since it was validated ({ $fields }): it needs a new verdict
gate-commitment_infeasible = { $ref } was judged infeasible
gate-blocking_ambiguity_open = { $ref } is a blocking ambiguity still open: resolve it
gate-ambiguity_open = { $ref } is still open: resolve it or transfer it with an owner and a due date
gate-assumption_not_agreed = Assumption { $ref } is not yet agreed by the other side
gate-exclusion_not_agreed = Exclusion { $ref } is not yet agreed by the other side
gate-cost_exceeds_revenue = The cost estimate ({ $cost }) is not below the revenue ({ $revenue })
gate-margin_below_threshold = The margin of { $margin } % is below the deal's { $threshold } % threshold
gate-threshold_override_unexplained = This deal sets { $fields } apart from the company's thresholds: say why
thresholdsOverridden = Thresholds set for this deal
thresholdOverride = { $threshold }: { $deal } (company: { $company })
thresholdNone = none
threshold-significant_value = Significant from
threshold-min_margin_pct = Minimum margin
thresholdsWhy = Why: { $reason }
gate-override_stale = ; the executive's override covered other figures: a new override is needed
gate-damaged = { $ref }: a value does not read; repair the document or enter it again

## History actions
action-create = created the document
action-import = imported from a file
action-update_commitment = changed
action-add_commitment = added
action-move_commitment = moved
action-validate_commitment = gave a verdict
action-add_from_library = added from the capability library
action-confirm_from_library = confirmed the library verdict
action-resolve_conflict = settled a concurrent edit
action-repair = restored values that did not read
action-other = changed

## Refusals by a rule of the core
assumption = assumption
exclusion = exclusion

## Sync
sync-not_configured = Not syncing
sync-offline = Offline
sync-connecting = Connecting…
sync-synced = Synced { $time }
sync-error = Sync error
sync-pending = { $n ->
    [one] { $n } change not yet on the server
   *[other] { $n } changes not yet on the server
}
syncSettings = Sync settings
syncServer = Server URL
syncToken = Device token
syncTokenKept = A token is stored; paste a new one to replace it
save = Save
syncNow = Sync now
transferMeeting = Transfer meeting
meetingTime = Scheduled for
meetingPlace = Place
attendees = Attendees
attendsAs = Attends as
present = Present
addAttendee = Add attendee
inviteTheDeal = Add the deal's leads and customer
mandatoryAttendance = Must attend
missingForHandoff = Missing for the handoff
agenda = Agenda
minutes = Minutes
decisions = Decisions
newDecision = New decision
actionItems = Action items
newActionItem = New action item
add = Add
heldAt = Held at
recordMeetingHeld = Record the meeting as held
updateMeetingHeld = Change when it was held
meetingNeedsSignature = The meeting is recorded once the scope is signed.
meetingHeldOn = Held on { $at }.
notHandedOffBecause = Not handed off: { $missing } not present.
handedOffNote = Handed off: the meeting was held with everyone who must attend.
reworkLog = Rework after handoff
date = Date
commitmentsShort = Commitments
cause = Cause
hours = Hours
ambiguity = Ambiguity
addRework = Add rework
customerSatisfaction = Customer satisfaction
score = Score (0–10)
comment = Comment
recordSatisfaction = Record satisfaction
indicators = Indicators
exportCsv = Export CSV
kpi-title = Joint handoff indicators
kpi-period = Period
kpi-preset-all = All time
kpi-preset-this_month = This month
kpi-preset-last_month = Last month
kpi-preset-this_quarter = This quarter
kpi-preset-last_quarter = Last quarter
kpi-preset-this_year = This year
kpi-preset-custom = Custom
kpi-from = From
kpi-to = To
kpi-groupBy = Group by
kpi-by-pair = Pair of leads
kpi-by-customer = Customer
kpi-by-all = All together
kpi-allDeals = All deals
kpi-group = Group
kpi-deals = Deals
kpi-stopped = Stopped at validation
kpi-stoppedValue = Value stopped
kpi-signed = Signed
kpi-handedOff = Handed off
kpi-transferredPerSigned = Ambiguities transferred per signed deal
kpi-reworkCostPerHandedOff = Rework cost per handed-off deal
kpi-fromTransferred = Rework from transferred ambiguities
kpi-satisfaction = Avg. customer satisfaction
kpi-fullAttendance = Meetings with full attendance
kpi-draftToReady = Draft → ready to sign
kpi-readyToSigned = Ready → signed
kpi-signedToHandedOff = Signed → handed off
kpi-chart-deals = Deals through the gate
kpi-chart-rework = Rework cost per handed-off deal, by cause
kpi-chart-cycle = Median cycle times (days)
kpi-clickHint = Click a figure or a bar to see the deals behind it.
kpi-noDeals = No deal behind this figure.
kpi-nothing = Nothing happened in this period.
kpi-computing = Computing the indicators over every document on this device…
remove = Remove

## Labels of the core's values
label-status-draft = Draft
label-status-in_validation = In validation
label-status-ready_to_sign = Ready to sign
label-status-signed = Signed
label-status-handed_off = Handed off
label-status-closed = Closed
label-status-stopped_at_validation = Stopped at validation
label-status-amended_after_signature = Amended after signature
label-kind-product = Product
label-kind-service = Service
label-kind-specification = Specification
label-kind-delivery = Delivery
label-kind-acceptance = Acceptance
label-kind-warranty = Warranty
label-kind-training = Training
label-kind-other = Other
label-role-commercial = Commercial
label-role-operational = Operational
label-role-executive = Executive
label-verdict-pending = pending
label-verdict-feasible = feasible
label-verdict-conditional = conditional
label-verdict-infeasible = infeasible
label-severity-blocking = blocking
label-severity-non-blocking = non-blocking
label-ambiguity-open = open
label-ambiguity-resolved = resolved
label-ambiguity-transferred = transferred
label-signer-commercial_lead = commercial lead
label-signer-operational_lead = operational lead
label-signer-customer = customer
label-attendee-commercial_lead = commercial lead
label-attendee-operational_lead = operational lead
label-attendee-customer = customer
label-attendee-other = other
label-cause-ambiguity = ambiguity
label-cause-scope_change = scope change
label-cause-execution = execution
label-cause-other = other

## The app's own errors

app-restart-needed = an earlier operation failed badly; restart ScopePact
app-operation-stopped = the operation stopped: { $detail }
app-cannot-open = cannot open { $path }: { $detail }
app-no-print-system = no print system on this computer (CUPS `lp`: { $detail }); open the file and print it from the viewer
app-printer-refused = the printer refused { $path }: { $detail }
app-sync-status-unavailable = sync status unavailable
notANumber = "{ $value }" is not a number
presence-also-here = Also here:
presence-on = on { $ref }
librarySuggestions = Validated before: the capability library
libraryValidated = validated { $verdict } by { $by } on { $at } for { $customer }
libraryValidatedConditional = validated { $verdict } by { $by } on { $at } for { $customer } (condition: { $condition })
libraryRework = { $n ->
    [one] rework logged once after its handoff
   *[other] rework logged { $n } times after its handoff
}
libraryChanged = Changed since it came from the library: { $fields }. Give it a verdict.
libraryNotVouched = This device's library does not hold this entry as described (retired, or written on another device): what it says is only a claim. Give a verdict yourself.
libraryConfirm = Confirm { $verdict } from the library
libraryConfirmed = Confirmed from the capability library.

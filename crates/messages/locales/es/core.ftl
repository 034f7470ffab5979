# Lo que dice el núcleo: rechazos por una regla, valores que no admite, archivos que incumplen el
# formato, y las palabras de esos mensajes. Cláusulas, no frases: la línea de órdenes las escribe
# tras "error: ", la aplicación como frase.

## Errores del núcleo

value-invalid = { $field }: { $problem }
item-missing = no hay { $what } con id { $id } en este documento
file-invalid = { $path }: { $problem }
file-invalid-at = { $path }: { $problem } (línea { $line }, columna { $column })
error-not-a-scope-document = los datos del documento no son un documento de alcance de ScopePact: { $detail }
error-write-change = no se pudo escribir el cambio en el documento: { $detail }
error-automerge = automerge: { $detail }

## Rechazos por una regla

refusal-no_profile = elija o cree antes un perfil: cada cambio queda atribuido
refusal-wrong_role = solo un perfil de { $needed } puede { $action }; { $actor } es de { $actual }
refusal-other_side_must_agree = la parte { $side } escribió este { $what }: la aceptación debe venir de la otra parte
refusal-executive_not_a_side = los supuestos y exclusiones los escriben y aceptan las partes comercial y de operaciones, no la dirección
refusal-blocking_not_transferable = { $reference } es bloqueante: solo puede resolverse, o anularla la dirección
refusal-transferred_not_blocking = { $reference } se traspasó como no bloqueante; reábrala antes de hacerla bloqueante
refusal-nothing_to_override = la economía cumple la puerta: no hay nada que anular
refusal-not_open_blocking = { $reference } no es una ambigüedad bloqueante abierta: solo esas se anulan
refusal-sealed = el alcance está firmado y sellado: inicie una modificación (con su motivo) para cambiarlo; después habrá que volver a firmar
refusal-not_ready_to_sign = el alcance no se puede firmar mientras está { $status }: la puerta debe cumplirse (listo para firmar)
refusal-signature_not_needed = este alcance no necesita la firma de { $role } (ya firmó, o no se requiere en este acuerdo)
refusal-not_the_named_lead = { $role } indicado en la cabecera es { $named }: { $actor } no puede firmar en ese papel
refusal-not_sealed = una modificación se inicia sobre un alcance firmado; este no lo está
refusal-not_signed = la reunión de traspaso entrega un alcance firmado; este está { $status }
refusal-not_handed_off = el retrabajo y la satisfacción del cliente se registran después del traspaso; este alcance está { $status }
action-validate = emitir un veredicto de operaciones
action-override = anular la puerta
action-revoke_override = revocar una anulación
action-change_settings = cambiar la configuración de la empresa
action-retire_library_entry = retirar una entrada de la biblioteca o restaurarla
list-assumption = supuesto
list-exclusion = exclusión

## Palabras dentro de una frase

role-commercial = comercial
role-operational = operaciones
role-executive = dirección
signer-commercial_lead = el responsable comercial
signer-operational_lead = el responsable de operaciones
signer-customer = el cliente
status-draft = en borrador
status-in_validation = en validación
status-ready_to_sign = listo para firmar
status-signed = firmado
status-handed_off = traspasado
status-closed = cerrado
status-stopped_at_validation = detenido en validación
status-amended_after_signature = modificado tras la firma

## Elementos

item-commitment = compromiso
item-deleted_commitment = compromiso eliminado
item-ambiguity = ambigüedad
item-assumption = supuesto
item-exclusion = exclusión
item-override = anulación
item-attendee = asistente
item-action_item = acción
item-decision_or_action = decisión ni acción
item-rework_entry = entrada de retrabajo

## Campos

field-title = título
field-value = valor
field-currency = moneda
field-target_close = cierre previsto
field-margin_threshold_pct = umbral de margen
field-significant_value = valor significativo
field-company_thresholds = umbrales de la empresa
field-ref = referencia
field-quantity = cantidad
field-price = precio
field-cost_estimate = coste estimado
field-lead_time_weeks = plazo en semanas
field-delivery_date = fecha de entrega
field-parameters = parámetros
field-description = descripción
field-condition = condición
field-reason = motivo
field-question = pregunta
field-answer = respuesta
field-owner = responsable
field-due = fecha límite
field-commitments = compromisos
field-ambiguities = ambigüedades
field-assumptions = supuestos
field-exclusions = exclusiones
field-overrides = anulaciones
field-text = texto
field-override_reason = motivo
field-amendment_reason = motivo
field-name = nombre
field-customer_name = nombre del cliente
field-customer_email = correo del cliente
field-drawing = trazo
field-signature = firma
field-actor = actor
field-edit = edición
field-conflict = conflicto
field-item = { $id }
field-meeting = reunión
field-meeting_time = hora de la reunión
field-attendee = asistente
field-attendee_email = correo del asistente
field-attendees = asistentes
field-decision = decisión
field-decisions = decisiones
field-action_item = acción
field-action_items = acciones
field-action_owner = responsable de la acción
field-action_due = fecha límite de la acción
field-rework = retrabajo
field-rework_date = fecha del retrabajo
field-rework_commitments = compromisos del retrabajo
field-rework_ambiguity = ambigüedad del retrabajo
field-rework_cost = coste del retrabajo
field-rework_hours = horas del retrabajo
field-rework_description = descripción del retrabajo
field-satisfaction = satisfacción
field-satisfaction_date = fecha de la satisfacción

## Qué le pasa a un valor

value-empty = no puede estar vacío
value-negative = debe ser cero o más, no { $value }
value-not-negative = debe ser cero o más
value-not-a-date = "{ $value }" no es una fecha de la forma AAAA-MM-DD
value-not-a-moment = "{ $value }" no es una fecha (AAAA-MM-DD) ni una fecha y hora (AAAA-MM-DDTHH:MM)
value-not-a-currency = "{ $value }" no es un código ISO 4217 de tres letras como EUR
value-not-an-email = "{ $value }" no es una dirección de correo
value-not-an-actor = "{ $value }" no es un id de actor hexadecimal
value-percent-range = debe estar entre -100 y 100
value-company-thresholds-from-settings = se toman de la configuración de la empresa al crear el acuerdo, nunca a mano
value-ref-taken = otro compromiso ya tiene la referencia "{ $reference }"
value-parameter-unnamed = cada parámetro técnico necesita un nombre
value-no-commitment-ref = ningún compromiso tiene la referencia "{ $reference }"
value-no-ambiguity-ref = ninguna ambigüedad tiene la referencia "{ $reference }"
value-no-such-commitment = no hay compromiso { $reference } en este alcance
value-no-such-ambiguity = no hay ambigüedad { $reference } en este alcance
value-condition-needed = un veredicto condicionado necesita su condición
value-reason-needed = un veredicto de inviable necesita su motivo
value-answer-needed = resolver una ambigüedad necesita su respuesta
value-transfer-owner = un traspaso necesita un responsable
value-action-owner = una acción necesita un responsable
value-override-reason = una anulación necesita un motivo escrito
value-amendment-reason = diga por qué debe cambiar el alcance firmado
value-name-as-profile = escriba su nombre como lo tiene su perfil: { $name }
value-customer-typed = el cliente firma con nombre y correo escritos
value-drawing-strokes = los trazos son pares x, y entre 0 y 1
value-signature-stale = la firma no cubre este documento tal como está ahora
value-edit-elsewhere = { $action } no es una edición de { $stage }
value-conflict-gone = ese campo ya no existe en el documento
value-conflict-settled = este campo ya no tiene valores simultáneos (alguien ya eligió)
value-conflict-no-such-choice = "{ $value }" no es uno de los valores de este campo
value-conflict-not-a-scalar = solo se eligen valores simples; edite el campo en su lugar
value-attendee-name = un asistente necesita un nombre
value-rework-names-ambiguity = el retrabajo causado por una ambigüedad la nombra (A-02…)
value-rework-description = diga qué hubo que rehacer
value-score-range = la puntuación va de 0 a 10
value-text-too-long = un texto de { $bytes } bytes: un campo admite como mucho { $max } bytes
value-too-many = como mucho { $max } en un documento
value-shared-text-too-long = las descripciones y el acta sumarían { $bytes } bytes; un documento admite como mucho { $max } bytes de ellas

## Un archivo que incumple el formato scopepact/v1

file-too-big = el archivo ocupa { $mib } MiB; un archivo scopepact/v1 ocupa como mucho { $max } MiB
file-json = { $detail }
file-list-too-long = { $items } elementos: una lista admite como mucho { $max }
file-format = se esperaba "{ $expected }" y hay "{ $found }"
file-title-empty = el título no puede estar vacío
file-template-name-empty = una plantilla necesita un nombre
file-ref-empty = la referencia no puede estar vacía
file-ref-duplicate = referencia repetida "{ $reference }"
file-text-empty = el texto no puede estar vacío
file-transfer-needs-owner-and-due = una ambigüedad traspasada necesita responsable y fecha límite
file-blocking-transferred = una ambigüedad bloqueante no se puede traspasar: resuélvala, o que la dirección la anule
file-override-names-ambiguity = una anulación de ambigüedad nombra la ambigüedad
file-action-needs-text-and-owner = una acción necesita su texto y un responsable
file-rework-ambiguity-without-cause = solo el retrabajo con causa "ambiguity" nombra una ambigüedad
file-score-range = la puntuación va de 0 a 10; hay { $score }
file-not-a-positive-number = debe ser un número de cero o más; hay { $value }
file-not-a-timestamp = "{ $value }" no es una hora RFC 3339 como 2026-11-20T10:14:00Z

## Errores de este equipo: su directorio de datos, archivos, perfiles, sincronización, PDF, indicadores

error-in-file = { $path }: { $problem }
error-read-file = no se puede leer { $path }: { $reason }
error-write-file = no se puede escribir { $path }: { $reason }
file-larger-than = el archivo supera los { $max } MiB, lo máximo que ocupa un archivo scopepact/v1
error-data-dir = no se puede usar el directorio de datos { $path }: { $reason }
error-open-database = no se puede abrir la base de datos { $path }: { $reason }
error-no-such-document = no hay ningún documento con id { $id }
error-bad-document-id = "{ $id }" no es un id de documento (se espera un UUID como 0193a5c2-7f3e-7d61-9a4b-2c8e5f1d0a42)
error-no-such-profile = no hay ningún perfil "{ $who }" en este equipo (vea `scopepact profile list`)
error-corrupt-document = los datos guardados del documento { $id } están dañados: { $reason }
error-database = error de la base de datos: { $detail }
profile-needs-name = un perfil necesita un nombre
profile-bad-email = "{ $value }" no es una dirección de correo como ana.ruiz@example.com
profile-taken = { $other } ya tiene un perfil con { $email } en este equipo
profile-unknown-role = papel desconocido { $value }
item-commitment_or_ambiguity = compromiso ni ambigüedad
value-no-such-number = no existe el número { $number } (hay { $count })
error-sync-unreachable = no se puede contactar con el servidor de sincronización en { $url }: { $reason }
error-sync-unauthorized = el servidor de sincronización en { $url } rechazó el token de este equipo (401): pida uno nuevo con `scopepact invite`
error-sync = { $detail }
error-session-wrong-code = este no es el código de la sesión (mal escrito, o cambió tras 5 intentos fallidos): pida al anfitrión el código de su pantalla
error-session-ended = la sesión de reunión terminó; todas las ediciones se conservan en este portátil
error-session-removed = el anfitrión retiró este portátil de la sesión de reunión; todas las ediciones se conservan en este portátil
error-session-unreachable = ninguna sesión de reunión responde en { $address }: { $reason }
error-not-a-session = { $address } no es una sesión de reunión de ScopePact: { $reason }
error-session-full = la sesión de reunión en { $address } está completa: pida al anfitrión que retire a alguien
error-session-wait = demasiados códigos erróneos desde este portátil: vuelva a intentarlo en { $seconds } s con el código de la pantalla del anfitrión
error-signing = { $detail }
error-pdf-tampered = el archivo no se verifica: { $detail }
error-pdf-not-current = { $detail }
error-pdf-unsigned = el archivo no prueba nada: { $detail }
error-pdf-unproven = el archivo no se puede verificar: { $detail }
error-pdf-cannot-seal = { $detail }
error-pdf-unreadable = no es un PDF legible: { $detail }
logo-too-big = el logotipo ocupa { $bytes } bytes; un logotipo ocupa como mucho 1 MiB (1048576 bytes)
logo-not-an-image = el logotipo debe ser un archivo PNG o JPEG
logo-too-many-pixels = el logotipo mide { $width } × { $height } píxeles; como mucho 4096 por lado
logo-unreadable = el logotipo no se puede decodificar: { $detail }
error-pdf = { $detail }
kpi-empty-period = el periodo está vacío: { $from } es posterior a { $to }
kpi-bad-period = "{ $value }" no es un periodo: use un mes (2027-02), un trimestre (2027-Q1) o un año (2027)
kpi-bad-grouping = "{ $value }" no es una agrupación: use pair, customer o all

## Las condiciones de la puerta que faltan

unmet-missing-title = falta el título
unmet-missing-customer = falta el cliente
unmet-missing-value = falta el valor del acuerdo
unmet-missing-currency = falta la moneda
unmet-missing-commercial-lead = falta el responsable comercial
unmet-missing-operational-lead = falta el responsable de operaciones
unmet-missing-customer-signatory = un acuerdo significativo necesita el firmante del cliente
unmet-damaged = { $what } no se puede leer (hay { $found }, se espera { $expected }): repare el documento o vuelva a introducirlo
unmet-no-commitments = aún no hay ningún compromiso
unmet-validation-pending = { $reference } espera la validación de operaciones
unmet-validation-lapsed = { $reference } cambió desde que se validó ({ $fields }): necesita de nuevo la validación de operaciones
unmet-commitment-infeasible = { $reference } se juzgó inviable
unmet-blocking-ambiguity-open = { $reference } es una ambigüedad bloqueante aún abierta: resuélvala
unmet-ambiguity-open = { $reference } sigue abierta: resuélvala o traspásela con un responsable y una fecha límite
unmet-assumption-not-agreed = el supuesto { $number } aún no lo acepta la otra parte
unmet-exclusion-not-agreed = la exclusión { $number } aún no la acepta la otra parte
unmet-cost-exceeds-revenue = el coste estimado ({ $cost }) no es inferior a los ingresos ({ $revenue })
unmet-margin-below-threshold = el margen del { $margin } % está por debajo del umbral del { $threshold } % del acuerdo
unmet-threshold-override-unexplained = este acuerdo fija { $fields } distinto de los umbrales de la empresa: indique por qué
unmet-override-stale = { $reason }; la anulación de { $by } cubría ingresos de { $revenue } y coste de { $cost }, y las cifras han cambiado: hace falta una nueva anulación

## El documento de la empresa: configuración, plantillas, la biblioteca

company-unknown-setting = «{ $key }» no es un ajuste; los ajustes son { $keys }
company-invalid-setting = { $key }: { $problem }
company-not-an-executive = { $actor } no es uno de los directivos de la empresa ({ $executives }): solo ellos cambian la configuración
company-no-such-template = no hay ninguna plantilla llamada «{ $name }» (vea `scopepact template list`)
company-not-a-template = el archivo es un acuerdo, no una plantilla: un archivo de plantilla lleva la marca "template" con su nombre
company-is-a-template = el archivo es la plantilla «{ $name }», no un acuerdo: cree un acuerdo con `scopepact new --template` o añádala con `scopepact template import`
company-write = no se puede escribir el documento de la empresa: { $detail }
company-retire-reason = diga por qué la entrada no debe sugerirse más
company-no-such-entry = no hay ninguna entrada de biblioteca { $id } (vea `scopepact library search`)
value-not-a-number = «{ $value }» no es un número
value-at-most-100 = debe ser como máximo 100
company-template-needs-signed = solo un alcance firmado se convierte en plantilla (su redacción es la que operaciones validó y ambas partes firmaron); este está { $status }
field-library = entrada de la biblioteca
value-library-verdict = solo se inserta una entrada validada como viable o condicionada
value-not-from-library = { $reference } no se insertó desde la biblioteca: emita un veredicto
value-library-entry-not-here = { $reference } nombra la entrada { $entry } de la biblioteca, que la biblioteca de este equipo no tiene tal como se describe (retirada, o escrita por otro equipo): emita un veredicto
value-library-changed = { $reference } cambió desde que se insertó desde la biblioteca ({ $fields }): emita un veredicto

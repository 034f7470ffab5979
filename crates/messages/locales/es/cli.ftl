# Lo que la línea de órdenes escribe para las personas (su JSON es para scripts y no se traduce).

cli-edited = { $doc }: { $status } ({ $left ->
    [one] queda 1 condición
   *[other] quedan { $left } condiciones
})
cli-imported-into = { $doc }: { $commitments_added } compromiso(s) añadido(s), { $commitments_matched } coincidente(s); { $ambiguities_added } ambigüedad(es) añadida(s), { $ambiguities_matched } coincidente(s)
cli-pdf-needs-file = un PDF va a un archivo: añada -o ARCHIVO.pdf
cli-status = estado: { $status }
cli-economics = economía: ingresos { $revenue } · coste { $cost } · margen { $margin }
cli-threshold-override = umbral de este acuerdo: { $threshold } { $deal } (empresa: { $company }) — { $reason }
cli-unmet-conditions = condiciones sin cumplir:
cli-damaged-values = valores dañados (scopepact repair DOC_ID los restaura):
cli-damaged-value = { $item } { $field }: hay { $found }, se espera { $expected }; escrito por { $by }
cli-damaged-value-on = { $item } { $field }: hay { $found }, se espera { $expected }; escrito por { $by } en { $device }
cli-signed-sealed = { $doc }: firmado como { $role }; todas las firmas necesarias son válidas: el alcance está sellado
cli-signed-missing = { $doc }: firmado como { $role }; aún faltan: { $missing }
cli-verified = { $file }: válido — “{ $title }”, { $status } (documento { $document }, SHA-256 del contenido { $sha256 })
    sellado por { $by } el { $at } (clave { $key })
cli-no-signatures = sin firmas
cli-verified-signature = { $signer } <{ $email }>{ $tab }{ $role }{ $tab }{ $time }{ $tab }clave { $key }{ $tab }válida
cli-verified-witnessed = { $signer } <{ $email }>{ $tab }{ $role }{ $tab }{ $time }{ $tab }clave { $key }, con testigo { $witness }{ $tab }válida
cli-verified-pdf-signature = firma PDF{ $tab }{ $field }{ $tab }{ $signer }{ $tab }{ $time }{ $tab }{ $subject }{ $tab }emitido por { $issuer } ({ $issuer_name }){ $tab }{ $verdict }
cli-unsigned-field = firma PDF{ $tab }{ $field }{ $tab }aún sin firmar
cli-countersigned = { $file }: firmado { $count ->
    [one] el campo
   *[other] los campos
} { $fields }
cli-synced = { $documents ->
    [one] sincronizado 1 documento
   *[other] sincronizados { $documents } documentos
} con { $server }: { $received } cambios recibidos, { $new } nuevos aquí
cli-certificates-adopted = { $count ->
    [one] 1 certificado de perfil emitido por la raíz de la empresa
   *[other] { $count } certificados de perfil emitidos por la raíz de la empresa
}

## kpis

cli-kpi-nothing = no pasó nada en este periodo
cli-kpi-deals = acuerdos
cli-kpi-stopped = detenidos en validación
cli-kpi-stopped-value = { $deals } (valor { $value })
cli-kpi-signed = acuerdos firmados
cli-kpi-transferred = ambigüedades traspasadas por acuerdo firmado
cli-kpi-handed-off = acuerdos traspasados
cli-kpi-rework = retrabajo por acuerdo traspasado
cli-kpi-rework-value = { $entries } entradas, { $hours } h, coste { $cost }
cli-kpi-rework-share = retrabajo por ambigüedades traspasadas
cli-kpi-satisfaction = satisfacción del cliente
cli-kpi-satisfaction-value = { $average } ({ $answers } respuestas)
cli-kpi-cycle = mediana borrador → listo → firmado → traspasado
cli-kpi-attendance = reuniones con asistencia completa
cli-kpi-attendance-value = { $share } de { $held } celebradas
cli-library-entry = { $title } — { $verdict ->
    [feasible] viable
   *[other] { $verdict }
} según { $by } el { $day } para { $customer }
cli-library-entry-conditional = { $title } — condicionado según { $by } el { $day } para { $customer } (condición: { $condition })
cli-library-rework = { $count ->
    [one] se registró retrabajo por este compromiso una vez tras su traspaso
   *[other] se registró retrabajo por este compromiso { $count } veces tras su traspaso
}
cli-library-retired = retirado por { $by }: { $reason }
cli-library-nothing = nada en la biblioteca coincide con «{ $text }»
cli-template-line = línea de producto «{ $line }», { $commitments } compromiso(s), { $questions } pregunta(s), guardada por { $by }

## Sesiones de reunión (session host / join / list)
cli-session-none-found = no hay ninguna sesión de reunión en la red local (¿está bloqueado el multicast? escriba entonces la dirección del anfitrión)
cli-session-not-advertised = la sesión no se anuncia en la red local ({ $reason }): los participantes escriben la dirección
cli-session-joined = #{ $number } se unió: { $name } ({ $role }, { $device })
cli-session-left = #{ $number } salió: { $name }
cli-session-bad-command = no se entiende: "{ $line }" (el anfitrión acepta `remove N`)
cli-session-ended = la sesión terminó; todas las ediciones están en el almacén de este portátil
cli-session-joined-host = unido a "{ $title }", anfitrión { $host }
cli-session-host-ended = el anfitrión terminó la sesión; todas las ediciones están en el almacén de este portátil
cli-session-offline = el anfitrión no está al alcance ({ $reason }); se vuelve a intentar

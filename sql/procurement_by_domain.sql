-- title: Marchés publiés par domaine de service
-- title_en: Published contracts by service domain
-- description: Les marchés publiés (DECP) par domaine de service d'après leur code CPV, les marchés multiservices à part (jamais répartis entre domaines), avec leur nombre, leur montant notifié et la part de l'ESS dans le montant dont le titulaire est classé.
-- description_en: The published contracts (DECP) by service domain from their CPV code, multiservice contracts apart (never split between domains), with their count, amount notified and the social economy's share of the amount whose holder is classified.
-- param year_from: integer | Première année | First year
-- param year_to: integer | Dernière année | Last year
-- param disps: text[] | Directions interrégionales (vide = toutes) | Interregional directorates (empty = all)
-- param regions: text[] | Régions (vide = toutes) | Regions (empty = all)
-- param departements: text[] | Départements (vide = tous) | Départements (empty = all)
-- param modes: text[] | Modes de gestion (vide = tous) | Management modes (empty = all)
-- param types: text[] | Types d'établissement (vide = tous) | Establishment types (empty = all)
-- param domains: text[] | Domaines de service (vide = tous) | Service domains (empty = all)
-- param kinds: text[] | Types d'opérateur (vide = tous) | Operator kinds (empty = all)
SELECT
    coalesce(c.domain_id, 'multiservice') AS domain_id,
    coalesce(any_value(d.label_fr), 'Multiservice') AS label_fr,
    coalesce(any_value(d.label_en), 'Multiservice') AS label_en,
    count(*) AS contracts,
    sum(c.amount_notified_eur) AS amount_notified_eur,
    coalesce(sum(c.amount_notified_eur) FILTER (k.is_ess), 0)
        / nullif(sum(c.amount_notified_eur) FILTER (k.kind_group <> 'unknown'), 0)
        AS ess_share_of_classified
FROM procurement_scoped($year_from, $year_to, $disps, $regions, $departements, $modes, $types,
                        $domains, $kinds) AS c
JOIN operator_kind AS k USING (kind_id)
LEFT JOIN service_domain AS d ON d.domain_id = c.domain_id
GROUP BY coalesce(c.domain_id, 'multiservice')
ORDER BY amount_notified_eur DESC, domain_id

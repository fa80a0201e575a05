-- title: Marchés arrivant à échéance
-- title_en: Contracts ending soon
-- description: Les marchés dont la dernière date tombe entre la date choisie et N mois plus tard, avec leur titulaire, leur montant attribué et le nombre d'établissements couverts : les appels d'offres à venir. Les marchés publiés (DECP) y figurent avec leur fin prévue (notification + durée) et leur montant notifié.
-- description_en: Contracts whose last day falls between the chosen date and N months later, with their holder, awarded value and number of establishments covered: the tenders to come. Published contracts (DECP) are in with their expected end (notification + duration) and amount notified.
-- param as_of: date = today | À partir du | From
-- param months: integer = 24 | Dans les N mois | Within N months
-- param domains: text[] | Domaines de service (vide = tous) | Service domains (empty = all)
-- param kinds: text[] | Types d'opérateur (vide = tous) | Operator kinds (empty = all)
WITH ending AS (
    SELECT
        c.contract_id,
        c.end_date,
        c.domain_id,
        c.operator_id,
        c.lot,
        c.start_date,
        c.awarded_value_eur::DOUBLE AS awarded_value_eur,
        (SELECT count(*) FROM contract_establishment AS ce WHERE ce.contract_id = c.contract_id)
            AS establishments,
        c.provenance
    FROM contract AS c
    UNION ALL
    -- published contracts: the amount notified and the expected end (notification + duration)
    SELECT
        p.procurement_id,
        p.end_on,
        p.domain_id,
        p.operator_id,
        p.object,
        p.notified_on,
        p.amount_notified_eur,
        (SELECT count(*) FROM procurement_establishment AS pe
         WHERE pe.procurement_id = p.procurement_id),
        p.provenance
    FROM procurement_contract AS p
    WHERE p.end_on IS NOT NULL
)
SELECT
    e.contract_id,
    e.end_date,
    e.domain_id,
    coalesce(d.label_fr, 'Multiservice') AS domain_fr,
    coalesce(d.label_en, 'Multiservice') AS domain_en,
    e.operator_id,
    o.name AS operator_name,
    o.kind_id,
    e.lot,
    e.start_date,
    e.awarded_value_eur,
    e.establishments,
    e.provenance
FROM ending AS e
JOIN operator AS o USING (operator_id)
LEFT JOIN service_domain AS d USING (domain_id)
WHERE e.end_date BETWEEN $as_of AND ($as_of + to_months($months))::DATE
  AND (len($domains) = 0 OR list_contains($domains::VARCHAR[], e.domain_id))
  AND (len($kinds) = 0 OR list_contains($kinds::VARCHAR[], o.kind_id))
ORDER BY e.end_date, e.contract_id

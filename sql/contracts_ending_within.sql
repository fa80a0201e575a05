-- title: Marchés arrivant à échéance
-- title_en: Contracts ending soon
-- description: Les marchés dont la dernière date tombe entre la date choisie et N mois plus tard, avec leur titulaire, leur montant attribué et le nombre d'établissements couverts : les appels d'offres à venir.
-- description_en: Contracts whose last day falls between the chosen date and N months later, with their holder, awarded value and number of establishments covered: the tenders to come.
-- param as_of: date = today | À partir du | From
-- param months: integer = 24 | Dans les N mois | Within N months
-- param domains: text[] | Domaines de service (vide = tous) | Service domains (empty = all)
-- param kinds: text[] | Types d'opérateur (vide = tous) | Operator kinds (empty = all)
SELECT
    c.contract_id,
    c.end_date,
    c.domain_id,
    d.label_fr AS domain_fr,
    d.label_en AS domain_en,
    c.operator_id,
    o.name AS operator_name,
    o.kind_id,
    c.lot,
    c.start_date,
    c.awarded_value_eur,
    (SELECT count(*) FROM contract_establishment AS ce WHERE ce.contract_id = c.contract_id)
        AS establishments,
    c.provenance
FROM contract AS c
JOIN operator AS o USING (operator_id)
JOIN service_domain AS d USING (domain_id)
WHERE c.end_date BETWEEN $as_of AND ($as_of + to_months($months))::DATE
  AND (len($domains) = 0 OR list_contains($domains::VARCHAR[], c.domain_id))
  AND (len($kinds) = 0 OR list_contains($kinds::VARCHAR[], o.kind_id))
ORDER BY c.end_date, c.contract_id

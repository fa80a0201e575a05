-- Annual summary: contracts that started or ended in $year, with holder, kind, domain, awarded
-- value and number of establishments covered. A contract is in scope if one of its establishments
-- is (and its domain and holder kind are).
-- Parameters: $year, $disps, $regions, $departements, $modes, $types, $domains, $kinds.
WITH scoped AS (
    SELECT
        c.contract_id,
        count(*) AS establishments
    FROM contract AS c
    JOIN contract_establishment AS ce USING (contract_id)
    JOIN establishment_scope() AS e USING (establishment_id)
    JOIN operator AS o USING (operator_id)
    WHERE (year(c.start_date) = $year OR year(c.end_date) = $year)
      AND in_scope(e.disp, e.region_code, e.departement_code, e.management_mode, e.type_code,
                   c.domain_id, o.kind_id,
                   $disps, $regions, $departements, $modes, $types, $domains, $kinds)
    GROUP BY c.contract_id
)
SELECT
    CASE WHEN year(c.start_date) = $year THEN 'started' ELSE 'ended' END AS event,
    c.contract_id,
    c.lot,
    c.start_date,
    c.end_date,
    c.awarded_value_eur::DOUBLE AS awarded_value_eur,
    s.establishments,
    o.name AS operator_name,
    k.label_fr AS kind_fr,
    k.label_en AS kind_en,
    d.label_fr AS domain_fr,
    d.label_en AS domain_en
FROM scoped AS s
JOIN contract AS c USING (contract_id)
JOIN operator AS o USING (operator_id)
JOIN operator_kind AS k USING (kind_id)
JOIN service_domain AS d USING (domain_id)
ORDER BY event DESC, c.awarded_value_eur DESC, c.contract_id

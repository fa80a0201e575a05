-- Where each operator's reinsertion and family money goes: per operator, the reallocated result
-- of the returned categories (reinsertion, family) in the global filters, and the part of it that
-- names a beneficiary association (reallocation_beneficiary). An operator's reallocation follows
-- the filters as reallocation_by_market attributes it to markets (pro rata of revenue); the part
-- naming associations is taken in the same proportion of each reallocation (the macro
-- returned_in_scope in sql/derived.sql).
-- Parameters: $year_from, $year_to, $disps, $regions, $departements, $modes, $types, $domains,
--   $kinds.
WITH in_scope AS (
    SELECT *
    FROM returned_in_scope($year_from, $year_to, $disps, $regions, $departements, $modes, $types,
                           $domains, $kinds)
),
named AS (
    SELECT s.operator_id, s.year, s.destination_id,
           sum(b.amount_eur::DOUBLE) * any_value(s.share_in_scope) AS amount_eur,
           count(DISTINCT b.association_id) AS associations
    FROM in_scope AS s
    JOIN reallocation_beneficiary AS b USING (operator_id, year, destination_id)
    GROUP BY ALL
),
per_operator AS (
    SELECT s.operator_id,
           sum(s.amount_eur) AS returned_eur,
           coalesce(sum(n.amount_eur), 0) AS named_eur
    FROM in_scope AS s
    LEFT JOIN named AS n USING (operator_id, year, destination_id)
    GROUP BY ALL
),
beneficiaries AS (
    SELECT DISTINCT b.operator_id, b.association_id
    FROM in_scope AS s
    JOIN reallocation_beneficiary AS b USING (operator_id, year, destination_id)
    WHERE b.amount_eur > 0
)
SELECT p.operator_id, o.name, o.kind_id, k.kind_group, k.label_fr AS kind_fr,
       k.label_en AS kind_en, k.color, k.sort_order,
       p.returned_eur, p.named_eur,
       (SELECT count(*) FROM beneficiaries AS b WHERE b.operator_id = p.operator_id) AS associations
FROM per_operator AS p
JOIN operator AS o USING (operator_id)
JOIN operator_kind AS k USING (kind_id)
WHERE p.returned_eur > 0
ORDER BY p.returned_eur DESC, p.operator_id

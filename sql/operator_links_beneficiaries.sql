-- The associations that carry the operators' reinsertion and family money: per operator and
-- beneficiary association, the amount named to the association's programme in the global filters
-- (reallocation_beneficiary, taken in the proportion of each reallocation that reallocation_by_market
-- attributes to the markets in the filters: the macro returned_in_scope, as in
-- sql/operator_links_money.sql).
-- Parameters: $year_from, $year_to, $disps, $regions, $departements, $modes, $types, $domains,
--   $kinds.
WITH in_scope AS (
    SELECT *
    FROM returned_in_scope($year_from, $year_to, $disps, $regions, $departements, $modes, $types,
                           $domains, $kinds)
),
named AS (
    SELECT b.operator_id, b.association_id,
           sum(b.amount_eur::DOUBLE * s.share_in_scope) AS amount_eur
    FROM in_scope AS s
    JOIN reallocation_beneficiary AS b USING (operator_id, year, destination_id)
    GROUP BY ALL
)
SELECT n.operator_id, o.name AS operator_name, o.kind_id, n.association_id,
       a.name AS association_name, a.field_id, n.amount_eur
FROM named AS n
JOIN operator AS o USING (operator_id)
JOIN association AS a USING (association_id)
WHERE n.amount_eur > 0
ORDER BY n.operator_id, n.amount_eur DESC, n.association_id

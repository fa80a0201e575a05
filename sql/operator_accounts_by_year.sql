-- title: Comptes des opérateurs par année
-- title_en: Operator accounts by year
-- description: Pour chaque opérateur et chaque année : chiffre d'affaires sur les marchés pénitentiaires, charges (dont rémunérations des personnes détenues), résultat, marge, et part du résultat réaffectée à la réinsertion et aux familles.
-- description_en: For each operator and year: revenue from prison markets, costs (of which detainees' wages), result, margin, and the part of the result returned to reinsertion and families.
-- param year_from: integer | Première année | First year
-- param year_to: integer | Dernière année | Last year
-- param kinds: text[] | Types d'opérateur (vide = tous) | Operator kinds (empty = all)
WITH returned AS (
    SELECT a.operator_id, a.year, sum(a.amount_eur)::DOUBLE AS returned_eur
    FROM reallocation AS a
    JOIN destination AS d USING (destination_id)
    JOIN destination_category AS dc USING (category_id)
    WHERE dc.is_returned
    GROUP BY a.operator_id, a.year
)
SELECT
    r.year,
    r.operator_id,
    o.name AS operator_name,
    o.kind_id,
    k.is_ess,
    r.revenue_eur,
    r.costs_eur,
    r.detainee_wages_eur,
    r.result_eur,
    r.result_eur / nullif(r.revenue_eur, 0) AS margin,
    coalesce(ret.returned_eur, 0) AS returned_eur,
    r.provenance
FROM operator_result AS r
JOIN operator AS o USING (operator_id)
JOIN operator_kind AS k USING (kind_id)
LEFT JOIN returned AS ret ON ret.operator_id = r.operator_id AND ret.year = r.year
WHERE r.year BETWEEN $year_from AND $year_to
  AND (len($kinds) = 0 OR list_contains($kinds::VARCHAR[], o.kind_id))
ORDER BY r.year, r.revenue_eur DESC, r.operator_id

-- Where the result goes: per operator kind, the holders' revenue (every payer; régie, a cost with
-- no result, left out), the reallocated result and the part of it going to reinsertion and to
-- family support, over the years in scope; split_share is the part of the kind's revenue whose
-- holders' result is split (the coverage of the shares).
-- Parameters: $year_from, $year_to, $disps, $regions, $departements, $modes, $types, $domains,
--   $kinds.
WITH revenue AS (
    SELECT kind_id, sum(revenue_eur)::DOUBLE AS revenue_eur,
           coalesce(sum(revenue_eur) FILTER (has_split), 0)::DOUBLE AS covered_revenue_eur
    FROM scoped('market_revenue',
                $year_from, $year_to, $disps, $regions, $departements, $modes, $types, $domains, $kinds)
    WHERE payer_group_id <> 'regie'
    GROUP BY kind_id
),
result AS (
    SELECT
        kind_id,
        sum(amount_eur) AS result_eur,
        coalesce(sum(amount_eur) FILTER (category_id = 'reinsertion'), 0) AS reinsertion_eur,
        coalesce(sum(amount_eur) FILTER (category_id = 'family'), 0) AS family_eur
    FROM scoped('reallocation_by_market',
                $year_from, $year_to, $disps, $regions, $departements, $modes, $types, $domains, $kinds)
    GROUP BY kind_id
)
SELECT
    v.kind_id,
    k.label_fr,
    k.label_en,
    k.color,
    k.is_ess,
    k.sort_order,
    v.revenue_eur,
    v.covered_revenue_eur / nullif(v.revenue_eur, 0) AS split_share,
    coalesce(r.result_eur, 0) AS result_eur,
    coalesce(r.reinsertion_eur, 0) AS reinsertion_eur,
    coalesce(r.family_eur, 0) AS family_eur,
    (coalesce(r.reinsertion_eur, 0) + coalesce(r.family_eur, 0))
        / nullif(r.result_eur, 0) AS returned_share_of_result
FROM revenue AS v
JOIN operator_kind AS k USING (kind_id)
LEFT JOIN result AS r USING (kind_id)
ORDER BY k.sort_order

-- Outcomes: per operator group (ESS, for-profit, public régie), the market value earned (the
-- investment of the SROI ratio), the result allocated to reinsertion and family support (for the
-- cost per person helped), the people helped (people accompanied at
-- release + families supported, person-years), and the gross social value of the outcomes valued
-- by sroi_proxy (low / central / high, before deadweight, attribution and drop-off), over the
-- years and scope in force. The ratios are computed over the market value of the operators that
-- measure outcomes (covered_revenue_eur); outcomes_share is that part of the group's value,
-- split_share the part whose result is split (the coverage of the cost per person helped).
-- Parameters: $year_from, $year_to, $disps, $regions, $types, $domains, $kinds.
WITH groups AS (
    SELECT kind_group, first(color ORDER BY sort_order) AS color, min(sort_order) AS sort_order
    FROM operator_kind
    GROUP BY kind_group
),
revenue AS (
    SELECT k.kind_group, sum(m.revenue_eur)::DOUBLE AS revenue_eur,
           coalesce(sum(m.revenue_eur) FILTER (m.has_outcomes), 0)::DOUBLE AS covered_revenue_eur,
           coalesce(sum(m.revenue_eur) FILTER (m.has_split), 0)::DOUBLE AS split_revenue_eur
    FROM scoped('market_revenue',
                $year_from, $year_to, $disps, $regions, $types, $domains, $kinds) AS m
    JOIN operator_kind AS k USING (kind_id)
    GROUP BY k.kind_group
),
invested AS (
    SELECT k.kind_group, sum(a.amount_eur) FILTER (a.is_returned) AS returned_eur
    FROM scoped('reallocation_by_market',
                $year_from, $year_to, $disps, $regions, $types, $domains, $kinds) AS a
    JOIN operator_kind AS k USING (kind_id)
    GROUP BY k.kind_group
),
outcomes AS (
    SELECT
        k.kind_group,
        sum(o.value) FILTER (o.indicator_id IN ('people_accompanied_release', 'families_supported'))
            AS people_helped,
        sum(o.value * p.low_eur) AS value_low_eur,
        sum(o.value * p.central_eur) AS value_central_eur,
        sum(o.value * p.high_eur) AS value_high_eur
    FROM scoped('outcome_fact',
                $year_from, $year_to, $disps, $regions, $types, $domains, $kinds) AS o
    JOIN operator_kind AS k USING (kind_id)
    LEFT JOIN sroi_proxy AS p USING (indicator_id)
    GROUP BY k.kind_group
)
SELECT
    g.kind_group,
    g.color,
    coalesce(r.revenue_eur, 0)::DOUBLE AS revenue_eur,
    coalesce(r.covered_revenue_eur, 0)::DOUBLE AS covered_revenue_eur,
    r.covered_revenue_eur / nullif(r.revenue_eur, 0) AS outcomes_share,
    r.split_revenue_eur / nullif(r.revenue_eur, 0) AS split_share,
    coalesce(i.returned_eur, 0)::DOUBLE AS returned_eur,
    coalesce(o.people_helped, 0)::DOUBLE AS people_helped,
    i.returned_eur / nullif(o.people_helped, 0) AS eur_per_person_helped,
    coalesce(o.value_low_eur, 0)::DOUBLE AS value_low_eur,
    coalesce(o.value_central_eur, 0)::DOUBLE AS value_central_eur,
    coalesce(o.value_high_eur, 0)::DOUBLE AS value_high_eur
FROM groups AS g
LEFT JOIN revenue AS r USING (kind_group)
LEFT JOIN invested AS i USING (kind_group)
LEFT JOIN outcomes AS o USING (kind_group)
WHERE coalesce(r.revenue_eur, 0) > 0
ORDER BY g.sort_order

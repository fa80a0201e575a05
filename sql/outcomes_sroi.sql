-- Outcomes: per operator group (ESS, for-profit, public régie), the market value earned, the
-- result allocated to reinsertion and family support, the people that result helped, and the
-- denominator of the SROI ratio, over the years and scope in force.
-- Cost per person helped = returned_eur / people_helped, lower is better: people accompanied at
-- release + families supported, except the families received by family-reception markets
-- (own_service_families), which are the service those markets are paid for, not what their
-- holder's result buys (the scenario's method excludes them too).
-- SROI denominator (invested_eur): the market value of the operators that measure outcomes,
-- without canteen sales (canteen_eur), which the people detained pay themselves; the SROI's
-- outcomes leave the canteen markets out as well (outcomes_sroi_quantities.sql).
-- outcomes_share is the part of the group's value whose holder measures outcomes, split_share the
-- part whose result is split (the coverage of the cost per person helped).
-- Parameters: $year_from, $year_to, $disps, $regions, $departements, $modes, $types, $domains,
--   $kinds.
WITH groups AS (
    SELECT * FROM kind_groups()
),
revenue AS (
    SELECT k.kind_group, sum(m.revenue_eur)::DOUBLE AS revenue_eur,
           coalesce(sum(m.revenue_eur) FILTER (m.has_outcomes), 0)::DOUBLE AS covered_revenue_eur,
           coalesce(sum(m.revenue_eur) FILTER (m.has_outcomes AND m.domain_id <> 'canteen'), 0)
               ::DOUBLE AS invested_eur,
           coalesce(sum(m.revenue_eur) FILTER (m.has_outcomes AND m.domain_id = 'canteen'), 0)
               ::DOUBLE AS canteen_eur,
           coalesce(sum(m.revenue_eur) FILTER (m.has_split), 0)::DOUBLE AS split_revenue_eur
    FROM scoped('market_revenue',
                $year_from, $year_to, $disps, $regions, $departements, $modes, $types, $domains, $kinds) AS m
    JOIN operator_kind AS k USING (kind_id)
    GROUP BY k.kind_group
),
invested AS (
    SELECT k.kind_group, sum(a.amount_eur) FILTER (a.is_returned) AS returned_eur
    FROM scoped('reallocation_by_market',
                $year_from, $year_to, $disps, $regions, $departements, $modes, $types, $domains, $kinds) AS a
    JOIN operator_kind AS k USING (kind_id)
    GROUP BY k.kind_group
),
outcomes AS (
    SELECT
        k.kind_group,
        sum(o.value) FILTER (
            o.indicator_id = 'people_accompanied_release'
            OR (o.indicator_id = 'families_supported' AND o.domain_id <> 'family_reception')
        ) AS people_helped,
        sum(o.value) FILTER (
            o.indicator_id = 'families_supported' AND o.domain_id = 'family_reception'
        ) AS own_service_families
    FROM scoped('outcome_fact',
                $year_from, $year_to, $disps, $regions, $departements, $modes, $types, $domains, $kinds) AS o
    JOIN operator_kind AS k USING (kind_id)
    GROUP BY k.kind_group
)
SELECT
    g.kind_group,
    g.color,
    coalesce(r.revenue_eur, 0)::DOUBLE AS revenue_eur,
    coalesce(r.covered_revenue_eur, 0)::DOUBLE AS covered_revenue_eur,
    coalesce(r.invested_eur, 0)::DOUBLE AS invested_eur,
    coalesce(r.canteen_eur, 0)::DOUBLE AS canteen_eur,
    r.covered_revenue_eur / nullif(r.revenue_eur, 0) AS outcomes_share,
    r.split_revenue_eur / nullif(r.revenue_eur, 0) AS split_share,
    coalesce(i.returned_eur, 0)::DOUBLE AS returned_eur,
    coalesce(o.people_helped, 0)::DOUBLE AS people_helped,
    coalesce(o.own_service_families, 0)::DOUBLE AS own_service_families,
    i.returned_eur / nullif(o.people_helped, 0) AS eur_per_person_helped
FROM groups AS g
LEFT JOIN revenue AS r USING (kind_group)
LEFT JOIN invested AS i USING (kind_group)
LEFT JOIN outcomes AS o USING (kind_group)
WHERE coalesce(r.revenue_eur, 0) > 0
ORDER BY g.sort_order

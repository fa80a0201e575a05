-- Outcomes, like for like: each operator's net social value per euro of market value, within
-- each domain outside the canteen (the SROI of outcomes_sroi.sql at its central proxies), and per
-- domain and operator group how many operators there are, the group's pooled figure and the
-- spread across its operators (10th, 50th and 90th percentiles). A group's figure in a domain is
-- a comparison only from 3 operators (comparable).
-- The reader's central proxies come as two lists ($indicator_ids, $proxy_eur, same order) and
-- the deadweight, attribution, displacement and drop-off as one $factor (outcomes_sroi.py,
-- Parameters.factor): net value = sum(quantity x proxy) x factor. The denominator is the
-- operator's revenue in the domain in the years it measures outcomes; régie is a cost of public
-- management, not an operator's revenue, and is left out.
-- The counts, pooled figure and percentiles come from the within_domain macro (derived.sql).
-- Parameters: $year_from, $year_to, $disps, $regions, $departements, $modes, $types, $domains,
--   $kinds, $indicator_ids, $proxy_eur, $factor.
WITH proxies AS (
    SELECT unnest($indicator_ids::VARCHAR[]) AS indicator_id,
           unnest($proxy_eur::DOUBLE[]) AS proxy_eur
),
invested AS (
    SELECT domain_id, operator_id, kind_id, sum(revenue_eur)::DOUBLE AS invested_eur
    FROM scoped('market_revenue',
                $year_from, $year_to, $disps, $regions, $departements, $modes, $types, $domains, $kinds)
    WHERE has_outcomes AND domain_id <> 'canteen' AND payer_group_id <> 'regie'
    GROUP BY ALL
),
valued AS (
    SELECT o.domain_id, o.operator_id, sum(o.value * p.proxy_eur) * $factor AS net_value_eur
    FROM scoped('outcome_fact',
                $year_from, $year_to, $disps, $regions, $departements, $modes, $types, $domains, $kinds) AS o
    JOIN proxies AS p USING (indicator_id)
    WHERE o.domain_id <> 'canteen'
    GROUP BY ALL
),
per_operator AS (
    SELECT i.domain_id, i.operator_id, k.kind_group,
           coalesce(v.net_value_eur, 0) AS net_value_eur,
           i.invested_eur,
           coalesce(v.net_value_eur, 0) / i.invested_eur AS value,
           coalesce(v.net_value_eur, 0) AS pooled_top,
           i.invested_eur AS pooled_bottom
    FROM invested AS i
    LEFT JOIN valued AS v USING (domain_id, operator_id)
    JOIN operator_kind AS k USING (kind_id)
    WHERE i.invested_eur > 0
)
SELECT * FROM within_domain('per_operator')

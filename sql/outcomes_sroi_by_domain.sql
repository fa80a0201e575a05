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
           coalesce(v.net_value_eur, 0) / i.invested_eur AS value
    FROM invested AS i
    LEFT JOIN valued AS v USING (domain_id, operator_id)
    JOIN operator_kind AS k USING (kind_id)
    WHERE i.invested_eur > 0
),
per_group AS (
    SELECT domain_id, kind_group,
           count(*) AS operators,
           sum(net_value_eur) / sum(invested_eur) AS group_value,
           quantile_cont(value, 0.1) AS p10,
           quantile_cont(value, 0.5) AS median,
           quantile_cont(value, 0.9) AS p90
    FROM per_operator
    GROUP BY ALL
),
groups AS (
    SELECT * FROM kind_groups()
)
SELECT
    o.domain_id,
    d.label_fr AS domain_fr,
    d.label_en AS domain_en,
    o.kind_group,
    g.color,
    o.operator_id,
    op.name AS operator_name,
    o.net_value_eur,
    o.invested_eur,
    o.value,
    s.operators,
    s.operators >= 3 AS comparable,
    s.group_value,
    s.p10,
    s.median,
    s.p90
FROM per_operator AS o
JOIN per_group AS s USING (domain_id, kind_group)
JOIN service_domain AS d USING (domain_id)
JOIN operator AS op USING (operator_id)
JOIN groups AS g USING (kind_group)
ORDER BY d.sort_order, g.sort_order, o.value

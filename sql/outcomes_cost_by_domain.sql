-- Outcomes, like for like: what each operator returns to reinsertion and family support per
-- person helped, within each domain (lower is better), and per domain and operator group how
-- many operators there are, the group's pooled figure and the spread across its operators (10th,
-- 50th and 90th percentiles). A group's figure in a domain is a comparison only from 3 operators
-- (comparable).
-- People helped as in outcomes_sroi.sql: people accompanied at release + families supported,
-- except the families received by family-reception markets, which are the service those
-- markets are paid for. An operator counts in a domain where it helped at least one person.
-- Parameters: $year_from, $year_to, $disps, $regions, $departements, $modes, $types, $domains,
--   $kinds.
WITH returned AS (
    SELECT domain_id, operator_id, sum(amount_eur)::DOUBLE AS returned_eur
    FROM scoped('reallocation_by_market',
                $year_from, $year_to, $disps, $regions, $departements, $modes, $types, $domains, $kinds)
    WHERE is_returned
    GROUP BY ALL
),
helped AS (
    SELECT domain_id, operator_id, kind_id, sum(value)::DOUBLE AS people_helped
    FROM scoped('outcome_fact',
                $year_from, $year_to, $disps, $regions, $departements, $modes, $types, $domains, $kinds)
    WHERE indicator_id = 'people_accompanied_release'
       OR (indicator_id = 'families_supported' AND domain_id <> 'family_reception')
    GROUP BY ALL
),
per_operator AS (
    SELECT h.domain_id, h.operator_id, k.kind_group,
           r.returned_eur,
           h.people_helped,
           r.returned_eur / h.people_helped AS value
    FROM helped AS h
    JOIN returned AS r USING (domain_id, operator_id)
    JOIN operator_kind AS k USING (kind_id)
    WHERE h.people_helped > 0
),
per_group AS (
    SELECT domain_id, kind_group,
           count(*) AS operators,
           sum(returned_eur) / sum(people_helped) AS group_value,
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
    o.returned_eur,
    o.people_helped,
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

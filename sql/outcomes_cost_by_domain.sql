-- Outcomes, like for like: what each operator returns to reinsertion and family support per
-- person helped, within each domain (lower is better), and per domain and operator group how
-- many operators there are, the group's pooled figure and the spread across its operators (10th,
-- 50th and 90th percentiles). A group's figure in a domain is a comparison only from 3 operators
-- (comparable).
-- People helped as in outcomes_sroi.sql: people accompanied at release + families supported,
-- except the families received by family-reception markets, which are the service those
-- markets are paid for. An operator counts in a domain where it helped at least one person.
-- The counts, pooled figure and percentiles come from the within_domain macro (derived.sql).
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
           r.returned_eur / h.people_helped AS value,
           r.returned_eur AS pooled_top,
           h.people_helped AS pooled_bottom
    FROM helped AS h
    JOIN returned AS r USING (domain_id, operator_id)
    JOIN operator_kind AS k USING (kind_id)
    WHERE h.people_helped > 0
)
SELECT * FROM within_domain('per_operator')

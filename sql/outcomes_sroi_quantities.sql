-- Outcomes: the outcomes the SROI values, per operator group and indicator with a financial proxy
-- (sroi_proxy), over the years and scope in force, outside the canteen markets (their sales are
-- paid by the people detained, and left out of the SROI's denominator too: outcomes_sroi.sql).
-- The proxies are applied in maillon/figures/outcomes_sroi.py, where the reader may change them.
-- Parameters: $year_from, $year_to, $disps, $regions, $departements, $modes, $types, $domains,
--   $kinds.
SELECT k.kind_group, o.indicator_id, sum(o.value)::DOUBLE AS quantity
FROM scoped('outcome_fact',
            $year_from, $year_to, $disps, $regions, $departements, $modes, $types, $domains, $kinds) AS o
JOIN operator_kind AS k USING (kind_id)
WHERE o.domain_id <> 'canteen'
  AND o.indicator_id IN (SELECT indicator_id FROM sroi_proxy)
GROUP BY ALL
ORDER BY k.kind_group, o.indicator_id

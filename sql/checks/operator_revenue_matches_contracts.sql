-- Rule: an operator's revenue for a year equals the sum of its contract revenue that year,
-- so the market value is the same whichever table a page reads it from.
-- Fix: make revenue_eur in operator_result equal the sum of the operator's contract_revenue
-- rows for that year, or correct the contract revenue.
WITH contracts AS (
    SELECT c.operator_id, r.year, sum(r.revenue_eur) AS revenue_eur
    FROM stage.contract_revenue AS r
    JOIN stage.contract AS c USING (contract_id)
    GROUP BY ALL
)
SELECT 'operator_result' AS table_name, o._row AS row_number, 'revenue_eur' AS column_name,
       o.revenue_eur::VARCHAR AS value,
       'differs from the sum of contract_revenue for ' || o.operator_id || ' in ' || o.year
           || ' (' || coalesce(c.revenue_eur, 0) || ')' AS problem
FROM stage.operator_result AS o
LEFT JOIN contracts AS c USING (operator_id, year)
WHERE o.revenue_eur <> coalesce(c.revenue_eur, 0)
UNION ALL
SELECT 'contract_revenue', NULL, 'year', c.year::VARCHAR,
       'operator ' || c.operator_id || ' has contract revenue in ' || c.year
           || ' but no row in operator_result'
FROM contracts AS c
LEFT JOIN stage.operator_result AS o USING (operator_id, year)
WHERE o.operator_id IS NULL AND c.revenue_eur > 0

-- Rule: an operator's revenue for a year equals the sum of its contract revenue that year,
-- so the market value is the same whichever table a page reads it from.
WITH contracts AS (
    SELECT c.operator_id, r.year, sum(r.revenue_eur) AS revenue_eur
    FROM stage.contract_revenue AS r
    JOIN stage.contract AS c USING (contract_id)
    GROUP BY ALL
)
SELECT 'operator_result' AS table_name, o._row AS row_number, 'revenue_eur' AS column_name,
       o.revenue_eur::VARCHAR AS value,
       'operator_revenue_matches_contracts.differs' AS problem,
       MAP {'operator': o.operator_id, 'year': o.year::VARCHAR,
            'revenue': coalesce(c.revenue_eur, 0)::VARCHAR} AS params
FROM stage.operator_result AS o
LEFT JOIN contracts AS c USING (operator_id, year)
WHERE o.revenue_eur <> coalesce(c.revenue_eur, 0)
UNION ALL
SELECT 'contract_revenue', NULL, 'year', c.year::VARCHAR,
       'operator_revenue_matches_contracts.no_result',
       MAP {'operator': c.operator_id, 'year': c.year::VARCHAR}
FROM contracts AS c
LEFT JOIN stage.operator_result AS o USING (operator_id, year)
WHERE o.operator_id IS NULL AND c.revenue_eur > 0

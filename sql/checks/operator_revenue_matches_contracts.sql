-- Rule: where an operator has accounts for a year and revenue rows for each of its contracts
-- running that year, the accounts' revenue equals the sum of that contract revenue, so the market
-- value is the same whichever table a page reads it from. Revenue without accounts, and contracts
-- known only by amount and dates, are accepted: the figures that need accounts say how much of
-- the market value they cover.
WITH contracts AS (
    SELECT c.operator_id, r.year, sum(r.revenue_eur) AS revenue_eur
    FROM stage.contract_revenue AS r
    JOIN stage.contract AS c USING (contract_id)
    GROUP BY ALL
),
without_revenue AS (
    SELECT DISTINCT c.operator_id, y.year
    FROM stage.contract AS c
    CROSS JOIN LATERAL (
        SELECT unnest(range(year(c.start_date::DATE), year(c.end_date::DATE) + 1)) AS year
    ) AS y
    WHERE NOT EXISTS (SELECT 1 FROM stage.contract_revenue AS r WHERE r.contract_id = c.contract_id)
)
SELECT 'operator_result' AS table_name, o._row AS row_number, 'revenue_eur' AS column_name,
       o.revenue_eur::VARCHAR AS value,
       'operator_revenue_matches_contracts.differs' AS problem,
       MAP {'operator': o.operator_id, 'year': o.year::VARCHAR,
            'revenue': c.revenue_eur::VARCHAR} AS params
FROM stage.operator_result AS o
JOIN contracts AS c USING (operator_id, year)
WHERE o.revenue_eur <> c.revenue_eur
  AND NOT EXISTS (SELECT 1 FROM without_revenue AS w
                  WHERE w.operator_id = o.operator_id AND w.year = o.year)

-- Rule: where canteen sales are recorded for an establishment and year, the canteen contracts'
-- revenue there equals those sales.
WITH sales AS (
    SELECT establishment_id, year(sale_date) AS year, sum(amount_eur) AS amount_eur
    FROM stage.canteen_sale
    GROUP BY ALL
),
revenue AS (
    SELECT r.establishment_id, r.year, sum(r.revenue_eur) AS revenue_eur, min(r._row) AS first_row
    FROM stage.contract_revenue AS r
    JOIN stage.contract AS c USING (contract_id)
    WHERE c.domain_id = 'canteen'
    GROUP BY ALL
)
SELECT 'contract_revenue' AS table_name, r.first_row AS row_number, 'revenue_eur' AS column_name,
       r.revenue_eur::VARCHAR AS value,
       'canteen_revenue_matches_sales.differs' AS problem,
       MAP {'establishment': s.establishment_id, 'year': s.year::VARCHAR,
            'sales': s.amount_eur::VARCHAR} AS params
FROM sales AS s
JOIN revenue AS r USING (establishment_id, year)
WHERE r.revenue_eur <> s.amount_eur

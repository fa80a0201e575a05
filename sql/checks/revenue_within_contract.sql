-- Rule: revenue is earned at one of the contract's establishments, in a year its period touches.
SELECT
    'contract_revenue' AS table_name,
    r._row AS row_number,
    CASE WHEN ce.contract_id IS NULL THEN 'establishment_id' ELSE 'year' END AS column_name,
    CASE WHEN ce.contract_id IS NULL THEN r.establishment_id ELSE r.year::VARCHAR END AS value,
    CASE WHEN ce.contract_id IS NULL
        THEN 'revenue_within_contract.not_covered'
        ELSE 'revenue_within_contract.outside_period'
    END AS problem,
    MAP {'contract': r.contract_id, 'start': c.start_date::VARCHAR,
         'end': c.end_date::VARCHAR} AS params
FROM stage.contract_revenue AS r
JOIN stage.contract AS c USING (contract_id)
LEFT JOIN stage.contract_establishment AS ce
    ON ce.contract_id = r.contract_id AND ce.establishment_id = r.establishment_id
WHERE ce.contract_id IS NULL
   OR r.year NOT BETWEEN year(c.start_date) AND year(c.end_date)

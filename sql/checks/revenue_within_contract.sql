-- Rule: revenue is earned at one of the contract's establishments, in a year its period touches.
-- Fix: attach the revenue to an establishment listed for the contract (contract_establishment)
-- and to a year within the contract's start and end dates.
SELECT
    'contract_revenue' AS table_name,
    r._row AS row_number,
    CASE WHEN ce.contract_id IS NULL THEN 'establishment_id' ELSE 'year' END AS column_name,
    CASE WHEN ce.contract_id IS NULL THEN r.establishment_id ELSE r.year::VARCHAR END AS value,
    CASE WHEN ce.contract_id IS NULL
        THEN 'establishment is not covered by contract ' || r.contract_id
        ELSE 'year is outside the period of contract ' || r.contract_id
             || ' (' || c.start_date || ' to ' || c.end_date || ')'
    END AS problem
FROM stage.contract_revenue AS r
JOIN stage.contract AS c USING (contract_id)
LEFT JOIN stage.contract_establishment AS ce
    ON ce.contract_id = r.contract_id AND ce.establishment_id = r.establishment_id
WHERE ce.contract_id IS NULL
   OR r.year NOT BETWEEN year(c.start_date) AND year(c.end_date)

-- Rule: the reallocations of an operator and year add up exactly to its result.
-- Fix: correct the reallocation amounts of that operator and year so that they add up to
-- result_eur in operator_result (include reserves, members and dividends).
WITH allocated AS (
    SELECT operator_id, year, sum(amount_eur) AS amount_eur, min(_row) AS first_row
    FROM stage.reallocation
    GROUP BY ALL
)
SELECT 'reallocation' AS table_name, a.first_row AS row_number, 'amount_eur' AS column_name,
       a.amount_eur::VARCHAR AS value,
       'reallocations of ' || a.operator_id || ' in ' || a.year || ' add up to ' || a.amount_eur
           || ' but its result is ' || coalesce(o.result_eur::VARCHAR, 'missing') AS problem
FROM allocated AS a
LEFT JOIN stage.operator_result AS o USING (operator_id, year)
WHERE o.result_eur IS NULL OR a.amount_eur <> o.result_eur
UNION ALL
SELECT 'operator_result', o._row, 'result_eur', o.result_eur::VARCHAR,
       'result of ' || o.operator_id || ' in ' || o.year || ' has no reallocation rows'
FROM stage.operator_result AS o
LEFT JOIN allocated AS a USING (operator_id, year)
WHERE o.result_eur > 0 AND a.operator_id IS NULL

-- Rule: the reallocations of an operator and year add up exactly to its result, which must be
-- known. A result without reallocations is accepted: the figures on where the result goes say
-- how much of the market value they cover.
WITH allocated AS (
    SELECT operator_id, year, sum(amount_eur) AS amount_eur, min(_row) AS first_row
    FROM stage.reallocation
    GROUP BY ALL
)
SELECT 'reallocation' AS table_name, a.first_row AS row_number, 'amount_eur' AS column_name,
       a.amount_eur::VARCHAR AS value,
       CASE WHEN o.result_eur IS NULL THEN 'reallocation_adds_up.no_result'
            ELSE 'reallocation_adds_up.other_sum' END AS problem,
       MAP {'operator': a.operator_id, 'year': a.year::VARCHAR, 'amount': a.amount_eur::VARCHAR,
            'result': coalesce(o.result_eur::VARCHAR, '')} AS params
FROM allocated AS a
LEFT JOIN stage.operator_result AS o USING (operator_id, year)
WHERE o.result_eur IS NULL OR a.amount_eur <> o.result_eur

-- Rule: detainees' wages in an operator's accounts equal its wages_paid outcomes that year.
WITH wages AS (
    SELECT operator_id, year, sum(value) AS wages_eur
    FROM stage.outcome
    WHERE indicator_id = 'wages_paid'
    GROUP BY ALL
)
SELECT 'operator_result' AS table_name, o._row AS row_number,
       'detainee_wages_eur' AS column_name, o.detainee_wages_eur::VARCHAR AS value,
       'wages_match_outcomes.differs' AS problem,
       MAP {'operator': o.operator_id, 'year': o.year::VARCHAR,
            'wages': round(coalesce(w.wages_eur, 0), 2)::VARCHAR} AS params
FROM stage.operator_result AS o
LEFT JOIN wages AS w USING (operator_id, year)
WHERE abs(o.detainee_wages_eur - coalesce(w.wages_eur, 0)) > 0.005

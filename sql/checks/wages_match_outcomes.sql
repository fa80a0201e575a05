-- Rule: where an operator has both accounts and wages_paid outcomes for a year, the detainees'
-- wages in its accounts equal those outcomes. Either one alone is accepted.
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
            'wages': round(w.wages_eur, 2)::VARCHAR} AS params
FROM stage.operator_result AS o
JOIN wages AS w USING (operator_id, year)
WHERE abs(o.detainee_wages_eur - w.wages_eur) > 0.005

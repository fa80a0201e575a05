-- Partnership graph, edges: partnerships started by the end of the period between two associations
-- present in the period in an establishment of the DISP / région / type filters.
-- Parameters: $year_from, $year_to, $disps, $regions, $departements, $modes, $types.
SELECT partnership_id, association_id, partner_id, since_year, purpose, has_convention,
       convention_renewal_on
FROM partnerships_present($year_from, $year_to, $disps, $regions, $departements, $modes, $types)
ORDER BY partnership_id

-- The values each global filter offers, with their labels in both languages.
SELECT 'year' AS dimension, year::VARCHAR AS value, year::VARCHAR AS label_fr,
       year::VARCHAR AS label_en, year AS sort_order
FROM (SELECT DISTINCT year FROM market_revenue)
UNION ALL
SELECT DISTINCT 'disp', disp,
       CASE WHEN disp = 'MOM' THEN 'Mission outre-mer' ELSE replace(disp, 'DISP ', '') END,
       CASE WHEN disp = 'MOM' THEN 'Overseas mission' ELSE replace(disp, 'DISP ', '') END,
       CASE WHEN disp = 'MOM' THEN 99 ELSE 0 END
FROM establishment
UNION ALL
SELECT DISTINCT 'region', scope_region(region_code, departement_code), region_name, region_name,
       CASE WHEN is_overseas THEN 1 ELSE 0 END
FROM establishment
UNION ALL
SELECT 'type', type_code, label_fr, label_en, sort_order FROM establishment_type
UNION ALL
SELECT 'domain', domain_id, label_fr, label_en, sort_order FROM service_domain
UNION ALL
SELECT 'kind', kind_id, label_fr, label_en, sort_order FROM operator_kind
ORDER BY dimension, sort_order, label_fr

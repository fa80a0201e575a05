-- The values each global filter offers, with their labels in both languages (départements by
-- their code, management modes in the order public, delegated, PPP).
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
SELECT DISTINCT 'departement', departement_code, departement_code || ' ' || departement_name,
       departement_code || ' ' || departement_name, 0
FROM establishment
UNION ALL
SELECT DISTINCT 'mode', management_mode,
       CASE management_mode WHEN 'public' THEN 'Gestion publique'
                            WHEN 'delegated' THEN 'Gestion déléguée'
                            ELSE 'Partenariat public-privé (PPP)' END,
       CASE management_mode WHEN 'public' THEN 'Public management'
                            WHEN 'delegated' THEN 'Delegated management'
                            ELSE 'Public-private partnership (PPP)' END,
       CASE management_mode WHEN 'public' THEN 1 WHEN 'delegated' THEN 2 ELSE 3 END
FROM establishment_management
UNION ALL
SELECT 'type', type_code, label_fr, label_en, sort_order FROM establishment_type
UNION ALL
SELECT 'domain', domain_id, label_fr, label_en, sort_order FROM service_domain
UNION ALL
SELECT 'kind', kind_id, label_fr, label_en, sort_order FROM operator_kind
ORDER BY dimension, sort_order, label_fr

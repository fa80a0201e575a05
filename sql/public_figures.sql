-- title: Repères publics
-- title_en: Public figures
-- description: Les chiffres publiés sur les services pénitentiaires (gestion déléguée, prix de la cantine, travail en détention), avec leur date, leur éditeur, leur lien et leur fiabilité.
-- description_en: Published figures on prison services (delegated management, canteen prices, prison work), with their date, publisher, link and reliability.
-- The public figures page: every published figure with its reference, by theme in the page's
-- order, then in the order of the file.
SELECT
    f.fact_id,
    f.theme,
    f.metric,
    f.value_published,
    f.value_number,
    f.unit_kind,
    f.reference_year,
    f.label_fr,
    f.label_en,
    f.unit_fr,
    f.unit_en,
    f.scope_fr,
    f.scope_en,
    f.date_fr,
    f.date_en,
    f.value_fr,
    f.value_en,
    f.series_id,
    f.series_label_fr,
    f.series_label_en,
    f.publisher_label_fr,
    f.publisher_label_en,
    f.source_url,
    f.licence_note,
    f.reliability,
    f.provenance,
    f.source_id
FROM public_fact AS f
ORDER BY
    CASE f.theme
        WHEN 'gestion_deleguee' THEN 1
        WHEN 'cantine' THEN 2
        WHEN 'travail' THEN 3
        ELSE 4
    END,
    f.sort_order

-- Rule: a partnership has both convention dates exactly when a convention is signed, and the
-- convention is renewed after its signature.
SELECT 'association_partnership' AS table_name, _row AS row_number,
       'convention_renewal_on' AS column_name,
       coalesce(convention_renewal_on::VARCHAR, '') AS value,
       CASE WHEN has_convention AND (convention_signed_on IS NULL OR convention_renewal_on IS NULL)
                THEN 'partnership_convention_dates.dates_missing'
            WHEN NOT has_convention
                 AND (convention_signed_on IS NOT NULL OR convention_renewal_on IS NOT NULL)
                THEN 'partnership_convention_dates.dates_without_convention'
            ELSE 'partnership_convention_dates.renewal_before_signature'
       END AS problem,
       MAP {'signed': coalesce(convention_signed_on::VARCHAR, '')} AS params
FROM stage.association_partnership
WHERE (has_convention AND (convention_signed_on IS NULL OR convention_renewal_on IS NULL))
   OR (NOT has_convention AND (convention_signed_on IS NOT NULL OR convention_renewal_on IS NOT NULL))
   OR convention_renewal_on <= convention_signed_on

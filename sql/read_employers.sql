COPY (SELECT unit_id, credit_code, name, injury_risk_class, town_code FROM si_src.employer) TO STDOUT

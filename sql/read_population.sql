COPY (SELECT pop_id, id_number, name, gender, birth_date, town_code, deceased_on, in_school FROM si_src.population) TO STDOUT

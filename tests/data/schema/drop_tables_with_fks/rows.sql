INSERT INTO country (code, name) VALUES ('NO', 'Norway');
INSERT INTO region (id, country_code, capital_id, parent_id) VALUES (1, 'NO', NULL, NULL);
INSERT INTO city (id, region_id, name) VALUES (1, 1, 'Oslo');
INSERT INTO address (id, city_id) VALUES (1, 1);

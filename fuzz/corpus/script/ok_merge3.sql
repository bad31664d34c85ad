-- merge three
--
-- Revision ID: m3
-- Revises: a ,b,   c.d-e_f
-- Create Date: 2026-11-22 15:40:00.123456
-- Branch Labels:

-- migrate:upgrade
-- nothing to do

-- migrate:downgrade
-- nothing

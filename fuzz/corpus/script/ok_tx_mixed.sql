-- mixed
--
-- Revision ID: tx2
-- Revises: tx1
-- Create Date: 2026-11-22 15:40:00.123456

-- migrate:upgrade   transaction:true	
VACUUM;

-- migrate:downgrade transaction:true transaction:false
SELECT 1;

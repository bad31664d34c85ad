-- merge headsöÒnsoiIe
--
-- Revision ID: e10
-- Revises: 23456

-- migrate:upgrade
CRET NULL
);

-- migrate:downgrade
DR''O 4;
$RID: $$$$$$$$$$$$$$$$$$$$$$$$$~$$$$$$$
{#-
    Generic test seg_expression_is_true(model, expression, column_name=none)
    Fails for every row where the SQL condition `expression` is false or null. Used
    on a column, the column name is put in front of the expression, so
    `expression: ">= 0"` on column age checks `age >= 0`.
-#}
{% test seg_expression_is_true(model, expression, column_name=none) %}

select *
from {{ model }}
where not coalesce(({{ column_name ~ ' ' if column_name is not none }}{{ expression }}), false)

{% endtest %}

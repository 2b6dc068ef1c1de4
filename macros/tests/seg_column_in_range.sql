{#-
    Generic test seg_column_in_range(model, column_name, min_value=none, max_value=none)
    Fails for every non-null value of the column outside [min_value, max_value]
    (inclusive; an omitted bound is not checked). Pair with not_null to forbid nulls.
-#}
{% test seg_column_in_range(model, column_name, min_value=none, max_value=none) %}

select {{ column_name }}
from {{ model }}
where
    {{ column_name }} is not null
    and not ({{ customer_segmentation.seg_range_condition(column_name, [min_value, max_value]) }})

{% endtest %}

{#-
    seg_fail(message)
    Stops the node with `message`, a sentence for the user, as the last line of its error in dbt's
    output ("Runtime Error in <node>" and the sentence). A compiler error would print the macro call
    stack after the sentence, and a database error would blame the database; a dependency error
    prints neither (dbt raises it otherwise only in `dbt deps`).
-#}
{% macro seg_fail(message) -%}
    {{ return(adapter.dispatch('seg_fail', 'customer_segmentation')(message)) }}
{%- endmacro %}

{% macro default__seg_fail(message) -%}
    {{ exceptions.raise_dependency_error(message) }}
{%- endmacro %}

-- Response to the last campaign per segment of the campaign case: customers, responders,
-- response rate, lift over the overall rate and mean total spend (see seg_response_by_segment).
{{ config(enabled=customer_segmentation.seg_case_selected('campaign')) }}

{{ customer_segmentation.seg_response_by_segment(
    'campaign',
    var('segmentation')['campaign']['custom']['response_model']['target_column'],
    ['total_spend'],
) }}

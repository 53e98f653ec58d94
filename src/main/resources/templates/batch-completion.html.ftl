<#ftl output_format="HTML" auto_esc=true>
<#-- Every value is HTML-escaped by the output format: names and messages from events cannot inject markup. -->
<#assign d = body>
<!DOCTYPE html>
<html>
<head>
<meta charset="UTF-8">
<style>
  body { font-family: Arial, sans-serif; margin: 20px; }
  .header { background-color: #f8f9fa; padding: 20px; border-radius: 8px; margin-bottom: 20px; }
  .success { color: #28a745; }
  .error { color: #dc3545; }
  .stats { background-color: #e9ecef; padding: 15px; border-radius: 5px; }
</style>
</head>
<body>
<div class="header">
  <h2>File Processing Complete</h2>
  <p><strong>Batch ID:</strong> ${d.batchId}</p>
  <p><strong>Completion Time:</strong> ${d.completionTime}</p>
</div>
<div class="stats">
  <h3>Processing Summary</h3>
  <ul>
    <li><strong>Total Files:</strong> ${d.totalFiles}</li>
    <li><strong class="success">Successful:</strong> ${d.successFiles?size}</li>
    <li><strong class="error">Failed:</strong> ${d.failedFiles?size}</li>
    <li><strong>Processing Time:</strong> ${d.processingMinutes} minutes</li>
<#if (d.foldedBatches > 0)>
    <li><strong>Folded batches:</strong> this digest also carries ${d.foldedBatches} later batch<#if (d.foldedBatches > 1)>es</#if> held back by your quiet hours or daily digest limit; all their files are listed below.</li>
</#if>
  </ul>
</div>
<#if d.includeSuccessDetails && d.successFiles?has_content>
<h3 class="success">Successfully Processed Files (${d.successFiles?size})</h3>
<ul>
<#list d.successFiles as f>
  <li><strong>${f.name}</strong> - ${f.seconds}s, ${f.chunks} chunks</li>
</#list>
</ul>
</#if>
<#if d.includeErrorDetails && d.failedFiles?has_content>
<h3 class="error">Failed Files (${d.failedFiles?size})</h3>
<ul>
<#list d.failedFiles as f>
  <li><strong>${f.name}</strong> - ${f.error}</li>
</#list>
</ul>
</#if>
<hr>
<p><em>This is an automated notification from the Knowledge Bot Ingestion Service.</em></p>
<p class="footer">You receive it because files of ${d.recipient} were processed for company ${d.companyId}, bot ${d.botId}, and your notification preferences ask for digests.<#if d.unsubscribeUrl?has_content> <a href="${d.unsubscribeUrl}">Unsubscribe from these digests</a>.</#if></p>
</body>
</html>

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
    <li><strong class="success">Successful:</strong> ${d.successCount}</li>
    <li><strong class="error">Failed:</strong> ${d.failedCount}<#if d.failuresByCategory?has_content> (<#list d.failuresByCategory as c>${c.category}: ${c.files}<#sep>, </#list>)</#if></li>
    <li><strong>Chunks Created:</strong> ${d.totalChunks}</li>
    <li><strong>Processing Time:</strong> ${d.processingMinutes} minutes</li>
<#if (d.foldedBatches > 0)>
    <li><strong>Folded batches:</strong> this digest also carries ${d.foldedBatches} later batch<#if (d.foldedBatches > 1)>es</#if> held back by your quiet hours or daily digest limit; their files are counted below.</li>
</#if>
  </ul>
</div>
<#if d.includeErrorDetails && d.failedFiles?has_content>
<h3 class="error">Failed Files (${d.failedCount}<#if (d.failedFiles?size < d.failedCount)>, ${d.failedFiles?size} listed</#if>)</h3>
<ul>
<#list d.failedFiles as f>
  <li><strong>${f.name}</strong> - ${f.error}</li>
</#list>
</ul>
</#if>
<#if d.includeSuccessDetails && d.successFiles?has_content>
<h3 class="success">Successfully Processed Files (${d.successCount}<#if (d.successFiles?size < d.successCount)>, ${d.successFiles?size} listed</#if>)</h3>
<ul>
<#list d.successFiles as f>
  <li><strong>${f.name}</strong> - ${f.seconds}s, ${f.chunks} chunks</li>
</#list>
</ul>
</#if>
<#if (d.unlistedFiles > 0)>
<p class="unlisted">${d.unlistedFiles} more file<#if (d.unlistedFiles > 1)>s are<#else> is</#if> not listed here (a digest lists at most ${d.maxListedFiles} files, failures first); the totals above count every file. The complete list is on the ingest-notify ops page, under batch ID ${d.batchId}.</p>
</#if>
<hr>
<p><em>This is an automated notification from the Knowledge Bot Ingestion Service.</em></p>
<p class="footer">You receive it because files of ${d.recipient} were processed for company ${d.companyId}, bot ${d.botId}, and your notification preferences ask for digests.<#if d.unsubscribeUrl?has_content> <a href="${d.unsubscribeUrl}">Unsubscribe from these digests</a>.</#if></p>
</body>
</html>

<#-- Line breaks inside names and messages are flattened so an event cannot forge lines of this mail. -->
<#function line s>
  <#return s?string?replace("[\\r\\n\\t]+", " ", "r")>
</#function>
<#assign d = body>
FILE PROCESSING COMPLETE

Batch ID: ${d.batchId}
Completion Time: ${d.completionTime}

PROCESSING SUMMARY:
- Total Files: ${d.totalFiles}
- Successful: ${d.successCount}
- Failed: ${d.failedCount}
<#list d.failuresByCategory as c>
  - ${c.category}: ${c.files}
</#list>
- Chunks Created: ${d.totalChunks}
- Processing Time: ${d.processingMinutes} minutes
<#if (d.foldedBatches > 0)>
- This digest also carries ${d.foldedBatches} later batch<#if (d.foldedBatches > 1)>es</#if> held back by your quiet hours or daily digest limit; their files are counted below.
</#if>
<#if d.includeErrorDetails && d.failedFiles?has_content>

FAILED FILES (${d.failedCount}<#if (d.failedFiles?size < d.failedCount)>, ${d.failedFiles?size} listed</#if>):
<#list d.failedFiles as f>
- ${line(f.name)} - ${line(f.error)}
</#list>
</#if>
<#if d.includeSuccessDetails && d.successFiles?has_content>

SUCCESSFUL FILES (${d.successCount}<#if (d.successFiles?size < d.successCount)>, ${d.successFiles?size} listed</#if>):
<#list d.successFiles as f>
+ ${line(f.name)} (${f.seconds}s, ${f.chunks} chunks)
</#list>
</#if>
<#if (d.unlistedFiles > 0)>

${d.unlistedFiles} more file<#if (d.unlistedFiles > 1)>s are<#else> is</#if> not listed here (a digest lists at most ${d.maxListedFiles} files, failures first); the totals above count every file. The complete list is on the ingest-notify ops page, under batch ID ${d.batchId}.
</#if>

--
This is an automated notification from the Knowledge Bot Ingestion Service.
You receive it because files of ${d.recipient} were processed for company ${d.companyId}, bot ${d.botId}, and your notification preferences ask for digests.
<#if d.unsubscribeUrl?has_content>
To stop these digests: ${d.unsubscribeUrl}
</#if>

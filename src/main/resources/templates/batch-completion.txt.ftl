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
- Successful: ${d.successFiles?size}
- Failed: ${d.failedFiles?size}
- Processing Time: ${d.processingMinutes} minutes
<#if (d.foldedBatches > 0)>
- This digest also carries ${d.foldedBatches} later batch<#if (d.foldedBatches > 1)>es</#if> held back by your quiet hours or daily digest limit; all their files are listed below.
</#if>
<#if d.includeSuccessDetails && d.successFiles?has_content>

SUCCESSFUL FILES:
<#list d.successFiles as f>
+ ${line(f.name)} (${f.seconds}s, ${f.chunks} chunks)
</#list>
</#if>
<#if d.includeErrorDetails && d.failedFiles?has_content>

FAILED FILES:
<#list d.failedFiles as f>
- ${line(f.name)} - ${line(f.error)}
</#list>
</#if>

--
This is an automated notification from the Knowledge Bot Ingestion Service.
You receive it because files of ${d.recipient} were processed for company ${d.companyId}, bot ${d.botId}, and your notification preferences ask for digests.
<#if d.unsubscribeUrl?has_content>
To stop these digests: ${d.unsubscribeUrl}
</#if>

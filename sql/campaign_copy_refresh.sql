COPY campaign_refresh FROM STDIN

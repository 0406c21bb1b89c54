COPY campaign_close FROM STDIN

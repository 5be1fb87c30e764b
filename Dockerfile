# One image for the three processes (web, realtime, worker); docker-compose picks the command.
FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
COPY embedded-mongo/package.json embedded-mongo/package.json
RUN npm ci --no-audit --no-fund

FROM deps AS build
COPY . .
RUN npm run build

FROM node:20-bookworm-slim AS run
WORKDIR /app
ENV NODE_ENV=production NEXT_TELEMETRY_DISABLED=1
# tsx runs realtime/ and worker/ from source; it stays installed (it is small and dependency-free).
COPY --from=build --chown=node:node /app /app
USER node
EXPOSE 3000 3001
CMD ["npx", "next", "start", "-p", "3000"]

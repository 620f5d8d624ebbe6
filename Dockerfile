# syntax=docker/dockerfile:1
#
# imagine-bot image. Targets:
#   docker build -t imagine-bot .                                  CPU runtime (default, last stage)
#   docker build -t imagine-bot --build-arg EXPORT_MODELS=true .   + real CLIP ViT-B/32 and BigGAN-deep-256
#   docker build -t imagine-bot:cuda --target cuda .               NVIDIA GPU runtime (mvn -Pcuda)
# Run: docker run -e DISCORD_TOKEN -p 9464:9464 -v imagine-data:/app/data imagine-bot
# Without EXPORT_MODELS the image holds only the tiny random-weight models (tests, smoke runs):
# mount real ones at /app/models/real (scripts/export/README.md) and set the IMAGINE_ENGINE_* below.

ARG EXPORT_MODELS=false
ARG EXPORT_STYLEGAN=false

# ---- build: the jar and its dependencies (target/imagine-bot.jar + target/lib/) ----
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
# Dependencies first, so editing sources does not download them again.
COPY pom.xml .
RUN mvn -B -ntp dependency:go-offline
COPY src src
RUN mvn -B -ntp package -DskipTests

# CUDA build: the same sources with the cuda profile. That profile pins DJL 0.32.0 with
# ai.djl.pytorch:pytorch-native-cu124 2.5.1 (libtorch for CUDA 12.4, from Maven Central, a 2.4 GB
# jar) and pytorch-jni 2.5.1-0.32.0, so the image needs no download at start.
FROM build AS build-cuda
RUN mvn -B -ntp -Pcuda package -DskipTests

# ---- export (optional): real weights -> TorchScript in the engine's contracts ----
# Upstream model code is cloned at fixed commits; it is never part of this repository.
# EXPORT_STYLEGAN=true adds StyleGAN2 FFHQ 1024: NVIDIA Source Code License-NC, NON-COMMERCIAL use only.
FROM python:3.11-slim AS export
ARG EXPORT_MODELS
ARG EXPORT_STYLEGAN
WORKDIR /export
COPY scripts/export/ scripts/export/
RUN mkdir -p models/real && if [ "$EXPORT_MODELS" = "true" ]; then \
      set -eux; \
      apt-get update && apt-get install -y --no-install-recommends git curl ca-certificates && rm -rf /var/lib/apt/lists/*; \
      pip install --no-cache-dir -r scripts/export/requirements.txt; \
      git clone https://github.com/openai/CLIP /upstream/clip && git -C /upstream/clip checkout d05afc436d78f1c48dc0dbf8e5980a9d471f35f6; \
      git clone https://github.com/lucidrains/big-sleep /upstream/big-sleep && git -C /upstream/big-sleep checkout 49b20f9c8169667395b68d1bbe169d28137fea8e; \
      curl -fL -o /tmp/ViT-B-32.pt https://openaipublic.azureedge.net/clip/models/40d365715913c9da98579312b702a82c18be219cc2a73407c4526f58eba950af/ViT-B-32.pt; \
      python scripts/export/export_clip.py --clip-repo /upstream/clip --checkpoint /tmp/ViT-B-32.pt \
          --out-dir models/real --manifest models/real/models.yaml; \
      python scripts/export/export_biggan.py --big-sleep /upstream/big-sleep --size 256 --weights biggan-deep-256 \
          --out-dir models/real --manifest models/real/models.yaml; \
      if [ "$EXPORT_STYLEGAN" = "true" ]; then \
        git clone https://github.com/NVlabs/stylegan2-ada-pytorch /upstream/stylegan2-ada-pytorch \
          && git -C /upstream/stylegan2-ada-pytorch checkout d72cc7d041b42ec8e806021a205ed9349f87c6a4; \
        python scripts/export/export_stylegan.py --stylegan-repo /upstream/stylegan2-ada-pytorch \
          --pkl https://nvlabs-fi-cdn.nvidia.com/stylegan2-ada-pytorch/pretrained/ffhq.pkl --id stylegan2-ffhq-1024 \
          --out-dir models/real --manifest models/real/models.yaml; \
      fi; \
      rm -rf /tmp/ViT-B-32.pt /root/.pytorch_pretrained_biggan /root/.cache; \
    fi

# ---- cuda: GPU runtime (needs the NVIDIA Container Toolkit: docker run --gpus all) ----
# libtorch cu124 needs a host driver for CUDA 12.4 or newer.
FROM nvidia/cuda:12.4.1-runtime-ubuntu22.04 AS cuda
RUN apt-get update \
    && apt-get install -y --no-install-recommends openjdk-17-jre-headless curl ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --create-home --home-dir /home/imagine imagine
WORKDIR /app
COPY --from=build-cuda /src/target/imagine-bot.jar imagine-bot.jar
COPY --from=build-cuda /src/target/lib lib
COPY config config
COPY models models
COPY --from=export /export/models/real models/real
RUN mkdir -p data/cache && chown -R imagine data
# Listen beyond the container's loopback so the published port (and Prometheus) reach /metrics.
ENV IMAGINE_SERVER_HOST=0.0.0.0
# libtorch's freed tensors stay in glibc's malloc arenas and the resident memory moves in steps; the
# engine hands them back after each job (engine.trimNativeMemory, malloc_trim: bench soak flat).
# Two arenas keep fewer of them to hold and trim (bench soak: +9.8 % over 1,000 jobs with one per
# thread and no trim).
ENV MALLOC_ARENA_MAX=2
USER imagine
VOLUME /app/data
EXPOSE 9464 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD curl -fsS http://localhost:9464/health || exit 1
ENTRYPOINT ["java", "-jar", "imagine-bot.jar"]
CMD ["serve"]

# ---- runtime: CPU (default target) ----
FROM eclipse-temurin:17-jre AS runtime
# curl for HEALTHCHECK (installed here rather than assumed to be in the base image).
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --create-home --home-dir /home/imagine imagine
WORKDIR /app
COPY --from=build /src/target/imagine-bot.jar imagine-bot.jar
COPY --from=build /src/target/lib lib
COPY config config
COPY models models
# Empty unless EXPORT_MODELS=true; then point the engine at it, e.g.
#   IMAGINE_ENGINE_MANIFEST=models/real/models.yaml IMAGINE_ENGINE_MODELS_DIR=models/real
#   IMAGINE_ENGINE_DEFAULT_MODEL=biggan-deep-256
COPY --from=export /export/models/real models/real
RUN mkdir -p data/cache && chown -R imagine data
# Listen beyond the container's loopback so the published port (and Prometheus) reach /metrics.
ENV IMAGINE_SERVER_HOST=0.0.0.0
# libtorch's freed tensors stay in glibc's malloc arenas and the resident memory moves in steps; the
# engine hands them back after each job (engine.trimNativeMemory, malloc_trim: bench soak flat).
# Two arenas keep fewer of them to hold and trim (bench soak: +9.8 % over 1,000 jobs with one per
# thread and no trim).
ENV MALLOC_ARENA_MAX=2
USER imagine
VOLUME /app/data
EXPOSE 9464 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD curl -fsS http://localhost:9464/health || exit 1
ENTRYPOINT ["java", "-jar", "imagine-bot.jar"]
CMD ["serve"]

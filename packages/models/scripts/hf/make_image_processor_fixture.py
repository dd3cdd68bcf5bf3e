"""Writes packages/models/src/hf/__fixtures__/vit-image-processor.json: random 8-bit images and the
pixel_values transformers' ViTImageProcessor makes of them, computed here the way it does
(PIL Image.convert("RGB"), Image.resize((width, height), resample), numpy float64 rescale cast to
float32, float32 (x - mean) / std, channels first), with PIL 9 from Debian (no transformers here).
Also writes the ViT fixture checkpoint's preprocessor_config.json, and for `heed hf predict --image`
a 23×19 RGB PNG (apps/cli/src/__fixtures__/vit-image.png) with the fixture ViT's PyTorch outputs on
it (hf_reference.py's ViTForImageClassification loaded from the checkpoint): vit-image-predict.json.

  /usr/bin/python3 packages/models/scripts/hf/make_image_processor_fixture.py
"""

import json
import os

import numpy as np
import torch
from PIL import Image

import sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import hf_reference as ref  # noqa: E402
from safetensors_io import load_file  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'src', 'hf', '__fixtures__')
IMAGENET = dict(image_mean=[0.485, 0.456, 0.406], image_std=[0.229, 0.224, 0.225])
MODES = {1: 'L', 2: 'LA', 3: 'RGB', 4: 'RGBA'}


def vit_image_processor(image, config):
    image = image.convert('RGB')
    size = config.get('size', {'height': 224, 'width': 224})
    if config.get('do_resize', True):
        image = image.resize((size['width'], size['height']), resample=config.get('resample', 2))
    pixels = np.array(image)
    if config.get('do_rescale', True):
        pixels = (pixels.astype(np.float64) * config.get('rescale_factor', 1 / 255)).astype(np.float32)
    if config.get('do_normalize', True):
        mean = np.array(config.get('image_mean', [0.5] * 3), dtype=pixels.dtype)
        std = np.array(config.get('image_std', [0.5] * 3), dtype=pixels.dtype)
        pixels = (pixels - mean) / std
    return pixels.transpose(2, 0, 1)


CASES = [
    # (width, height, channels, preprocessor config)
    (23, 17, 3, {'size': {'height': 16, 'width': 16}, 'resample': 2}),
    (7, 5, 3, {'size': {'height': 16, 'width': 16}, 'resample': 3}),
    (40, 30, 4, {'size': {'height': 16, 'width': 16}, 'resample': 2}),
    (9, 12, 1, {'size': {'height': 16, 'width': 16}, 'resample': 0}),
    (31, 9, 2, {'size': {'height': 16, 'width': 16}, 'resample': 0}),
    (16, 16, 3, {'size': {'height': 16, 'width': 16}, 'resample': 1, **IMAGENET}),
    (50, 20, 3, {'size': {'height': 12, 'width': 20}, 'resample': 5}),
    (64, 48, 3, {'size': {'height': 16, 'width': 16}, 'resample': 1}),
    (13, 70, 3, {'size': {'height': 16, 'width': 16}, 'resample': 4, 'rescale_factor': 0.005, 'image_mean': [0.1, 0.2, 0.3], 'image_std': [1.5, 0.5, 2.0]}),
    (16, 16, 3, {'size': {'height': 16, 'width': 16}, 'do_normalize': False}),
]


def main():
    generator = np.random.default_rng(11)
    cases = []
    for width, height, channels, config in CASES:
        data = generator.integers(0, 256, size=(height, width, channels), dtype=np.uint8)
        image = Image.fromarray(data[:, :, 0] if channels == 1 else data, MODES[channels])
        pixels = vit_image_processor(image, config)
        cases.append({'width': width, 'height': height, 'channels': channels, 'config': config, 'data': data.flatten().tolist(),
                      'shape': list(pixels.shape), 'pixel_values': [float(v) for v in pixels.flatten()]})
    with open(os.path.join(OUT, 'vit-image-processor.json'), 'w') as out:
        json.dump({'pil': Image.__version__, 'cases': cases}, out, separators=(',', ':'))
    # The tiny ViT checkpoint (16×16 images) as ViTImageProcessor.save_pretrained writes it.
    vit = {'do_normalize': True, 'do_rescale': True, 'do_resize': True, 'image_mean': [0.5, 0.5, 0.5], 'image_processor_type': 'ViTImageProcessor',
           'image_std': [0.5, 0.5, 0.5], 'resample': 2, 'rescale_factor': 0.00392156862745098, 'size': {'height': 16, 'width': 16}}
    with open(os.path.join(OUT, 'vit-image-cls-f32', 'preprocessor_config.json'), 'w') as out:
        json.dump(vit, out, indent=2)
        out.write('\n')
    # heed hf predict --image: PNG → ViTImageProcessor (PIL) → the PyTorch reference ViT.
    folder = os.path.join(OUT, 'vit-image-cls-f32')
    png = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', '..', '..', 'apps', 'cli', 'src', '__fixtures__', 'vit-image.png')
    Image.fromarray(generator.integers(0, 256, size=(19, 23, 3), dtype=np.uint8), 'RGB').save(png)
    with open(os.path.join(folder, 'config.json')) as src:
        config = json.load(src)
    model = ref.ViTForImageClassification(config)
    model.load_state_dict(load_file(os.path.join(folder, 'model.safetensors')))
    model.eval()
    pixels = torch.from_numpy(vit_image_processor(Image.open(png), vit).copy()).unsqueeze(0)
    with torch.no_grad():
        outputs = model(pixel_values=pixels)
    predict = {'pixel_values': [float(v) for v in pixels.flatten()], 'logits': [float(v) for v in outputs['logits'][0]],
               'probabilities': [float(v) for v in torch.softmax(outputs['logits'][0], -1)],
               'attentions': [[float(v) for v in layer[0].flatten()] for layer in outputs['attentions']]}
    with open(os.path.join(OUT, 'vit-image-predict.json'), 'w') as out:
        json.dump(predict, out, separators=(',', ':'))
    print(f'{len(cases)} cases, PIL {Image.__version__}; vit-image.png logits {predict["logits"]}')


if __name__ == '__main__':
    main()

// Verify mode's inputs (action inputs, or the CLI's flags mapped onto the same names), validated in one place.
import { InputError } from '../../core/errors';
import { InputSource, parseList } from '../../core/inputs';
import { parseReference, Reference } from '../../core/registry/reference';
import { readExpectation, readInsecureRegistries } from '../../core/verification/inputs';
import { Expectation } from '../../core/verification/report';

export interface VerifyInputs {
  images: Reference[];
  expectation: Expectation;
  insecureRegistries: string[];
}

export function readVerifyInputs(get: InputSource): VerifyInputs {
  const images = parseList(get('images')).map((image) => parseReference(image, 'images'));
  if (images.length === 0) {
    throw new InputError('images', '', 'List at least one image reference, e.g. ghcr.io/owner/app:v1.');
  }
  return {
    images,
    expectation: readExpectation(get),
    insecureRegistries: readInsecureRegistries(get),
  };
}
